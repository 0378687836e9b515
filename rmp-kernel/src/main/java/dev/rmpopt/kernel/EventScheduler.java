package dev.rmpopt.kernel;

import java.util.PriorityQueue;

/**
 * A deterministic discrete-event clock: time moves only when the next scheduled event runs, and
 * events at the same time run in the order they were scheduled. Nothing sleeps. Not thread-safe;
 * one simulation owns one scheduler.
 */
public final class EventScheduler {

    /** One second in nanoseconds. */
    public static final long SECOND = 1_000_000_000L;

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private long eventsRun;

    /** The current simulated time, in nanoseconds since the start. */
    public long now() {
        return now;
    }

    /** Runs {@code action} {@code delayNanos} from now; the handle cancels it. */
    public Event schedule(long delayNanos, Runnable action) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("cannot schedule in the past: delay " + delayNanos);
        }
        Event event = new Event(Math.addExact(now, delayNanos), sequence++, action);
        queue.add(event);
        return event;
    }

    /** Runs every event due at or before {@code time}, then sets the clock to {@code time}. */
    public void runUntil(long time) {
        if (time < now) {
            throw new IllegalArgumentException("time " + time + " is before now " + now);
        }
        while (!queue.isEmpty() && queue.peek().time <= time) {
            runNext();
        }
        now = time;
    }

    /** Runs events until none is left. */
    public void runAll() {
        while (!queue.isEmpty()) {
            runNext();
        }
    }

    /** Events run so far (cancelled ones not counted): a simulation's size, for throughput benchmarks. */
    public long eventsRun() {
        return eventsRun;
    }

    /** Whether any live event is scheduled. */
    public boolean hasPending() {
        return queue.stream().anyMatch(e -> !e.cancelled);
    }

    private void runNext() {
        Event event = queue.poll();
        now = event.time;
        if (!event.cancelled) {
            event.cancelled = true;
            eventsRun++;
            event.action.run();
        }
    }

    /** A scheduled action. */
    public static final class Event implements Comparable<Event> {
        private final long time;
        private final long order;
        private final Runnable action;
        private boolean cancelled;

        private Event(long time, long order, Runnable action) {
            this.time = time;
            this.order = order;
            this.action = action;
        }

        /** When it runs. */
        public long time() {
            return time;
        }

        /** Whether it is still to run. */
        public boolean isPending() {
            return !cancelled;
        }

        /** Stops it from running; no effect once it ran. */
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
