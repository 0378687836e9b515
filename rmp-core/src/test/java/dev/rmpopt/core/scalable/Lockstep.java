package dev.rmpopt.core.scalable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.core.reference.ReferenceBackendProvider;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The reference and the scalable backend on one host, driven operation by operation: each
 * operation must give both the same result (or exception) and the same events, and a failure names
 * the sequence and the last operations. What {@link DifferentialTest} and
 * {@link RoundDifferentialTest} share.
 */
final class Lockstep {
    private final SnpMachine reference;
    private final SnpMachine scalable;
    private final EventLog referenceEvents = new EventLog();
    private final EventLog scalableEvents = new EventLog();
    private final String label;
    private final int remembered;
    private final Deque<String> recent = new ArrayDeque<>();
    private int index = -1;

    /**
     * @param label      names the sequence in failures (its seed and configuration)
     * @param remembered how many of the last operations a failure lists
     */
    Lockstep(HostDescription host, ModelOptions options, String label, int remembered) {
        this.reference = new ReferenceBackendProvider().create(host, options, referenceEvents);
        this.scalable = new ScalableBackendProvider().create(host, options, scalableEvents);
        this.label = label;
        this.remembered = remembered;
    }

    /** Applies operation {@code index} to both; returns the reference's result and its events. */
    Applied apply(int index, Operation op) {
        this.index = index;
        recent.addLast(index + ": " + op);
        if (recent.size() > remembered) {
            recent.removeFirst();
        }
        Object expected = op.apply(reference);
        Object actual = op.apply(scalable);
        assertEquals(expected, actual, () -> "result differs at " + where());
        List<String> events = referenceEvents.drain();
        assertEquals(events, scalableEvents.drain(), () -> "events differ at " + where());
        return new Applied(expected, events);
    }

    /** Where the last operation was: the label, its index and the operations before it (built only for a failure). */
    String where() {
        return label + ", operation " + index + "; recent operations:\n  " + String.join("\n  ", recent);
    }

    SnpMachine reference() {
        return reference;
    }

    SnpMachine scalable() {
        return scalable;
    }

    /** Forgets the events of calls made outside {@link #apply} (snapshots). */
    void dropEvents() {
        referenceEvents.drain();
        scalableEvents.drain();
    }

    /** An operation's result on the reference and the events it heard. */
    record Applied(Object result, List<String> events) {
    }
}
