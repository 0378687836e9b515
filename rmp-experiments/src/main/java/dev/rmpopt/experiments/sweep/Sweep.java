package dev.rmpopt.experiments.sweep;

import dev.rmpopt.experiments.scenario.PolicySpec;
import dev.rmpopt.experiments.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs every run of a scenario, each (placement, policy) cell once per seed, on a fixed pool of
 * threads; results come back in a fixed order (placement, then policy, then seed, as the scenario
 * lists them) whatever order the threads finish in, and a run's figures depend on its seed alone.
 */
public final class Sweep {

    private Sweep() {
    }

    /**
     * What an experiment left.
     *
     * @param completed the runs that finished, in the fixed order
     * @param missing   the runs that did not (cancelled, or not started after a failure)
     * @param failure   the first run's failure, if one failed
     */
    public record Outcome(List<RunResult> completed, List<RunKey> missing, Optional<Throwable> failure) {
        /** Copies. */
        public Outcome {
            completed = List.copyOf(completed);
            missing = List.copyOf(missing);
        }

        /** Whether every run finished. */
        public boolean complete() {
            return missing.isEmpty() && failure.isEmpty();
        }
    }

    /** Every run of {@code scenario}, in the fixed order. */
    public static List<RunKey> keys(Scenario scenario) {
        List<RunKey> keys = new ArrayList<>();
        for (String placement : scenario.placements()) {
            for (PolicySpec policy : scenario.policies()) {
                for (long seed : scenario.seeds()) {
                    keys.add(new RunKey(policy.label(), placement, seed));
                }
            }
        }
        return keys;
    }

    /**
     * Runs {@code scenario} on {@code threads} threads (at least 1). Once {@code cancelled} says so,
     * or a run fails, runs in progress stop at their next coverage sample and no more start.
     */
    public static Outcome run(Scenario scenario, int threads, SweepListener listener, BooleanSupplier cancelled) {
        List<RunKey> keys = keys(scenario);
        List<PolicySpec> specs = new ArrayList<>();
        for (String placement : scenario.placements()) {
            for (PolicySpec policy : scenario.policies()) {
                for (int s = 0; s < scenario.seeds().size(); s++) {
                    specs.add(policy);
                }
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        BooleanSupplier halted = () -> stop.get() || cancelled.getAsBoolean();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, keys.size())), r -> {
            Thread t = new Thread(r, "rmpopt-run");
            t.setDaemon(true);
            return t;
        });
        List<Future<RunResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < keys.size(); i++) {
                RunKey key = keys.get(i);
                PolicySpec spec = specs.get(i);
                futures.add(pool.submit(() -> {
                    if (halted.getAsBoolean()) {
                        throw new CancellationException("not started");
                    }
                    listener.started(key, keys.size());
                    try {
                        RunResult result = RunOne.run(scenario, spec, key, listener, halted);
                        listener.finished(result, done.incrementAndGet(), keys.size());
                        return result;
                    } catch (CancellationException e) {
                        throw e;
                    } catch (RuntimeException | Error e) {
                        stop.set(true);
                        throw e;
                    }
                }));
            }
            List<RunResult> completed = new ArrayList<>();
            List<RunKey> missing = new ArrayList<>();
            Throwable failure = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    completed.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    missing.add(keys.get(i));
                    if (!(e.getCause() instanceof CancellationException) && failure == null) {
                        failure = e.getCause();
                    }
                } catch (CancellationException e) {
                    missing.add(keys.get(i));
                } catch (InterruptedException e) {
                    stop.set(true);
                    Thread.currentThread().interrupt();
                    for (int j = i; j < futures.size(); j++) {
                        missing.add(keys.get(j));
                    }
                    break;
                }
            }
            return new Outcome(completed, missing, Optional.ofNullable(failure));
        } finally {
            pool.shutdownNow();
        }
    }
}
