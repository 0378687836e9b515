package dev.rmpopt.kvm;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Where a churn's VMs come from: drawn at random, or scripted by a trace. */
public sealed interface Arrivals {

    /**
     * VMs drawn at random, each arrival in this order: its size, whether it is SNP, then (if it was
     * launched) its lifetime, then the time to the next arrival.
     *
     * @param interarrivalNanos time between arrivals
     * @param lifetimeNanos     a VM's lifetime
     * @param vmGib             a VM's size in GiB
     * @param snpFraction       share of arrivals that are SNP guests, 0 to 1 (one {@code nextDouble()})
     */
    record Generated(Distribution interarrivalNanos, Distribution lifetimeNanos, Distribution vmGib, double snpFraction)
            implements Arrivals {
        /** Validates. */
        public Generated {
            Objects.requireNonNull(interarrivalNanos, "interarrivalNanos");
            Objects.requireNonNull(lifetimeNanos, "lifetimeNanos");
            Objects.requireNonNull(vmGib, "vmGib");
            if (!(snpFraction >= 0 && snpFraction <= 1)) {
                throw new IllegalArgumentException("the SNP share is between 0 and 1, not " + snpFraction);
            }
        }
    }

    /** VMs as a trace has them: every event at its time, in time order (ties keep their order). */
    record Scripted(List<VmEvent> events) implements Arrivals {
        /** Sorts a copy by time. */
        public Scripted {
            events = events.stream().sorted(Comparator.comparingLong(VmEvent::timeNanos)).toList();
        }
    }
}
