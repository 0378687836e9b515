package dev.rmpopt.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a fleet's hosts without Spark, on a plain fixed thread pool ({@code threads} 1: one by one
 * on a single thread): the baseline Spark's overhead is measured against, and what the tests compare
 * Spark's results with. Results and summaries are the same as Spark's, number for number.
 */
public final class LocalFleetRunner {

    private final int threads;

    /** A runner on {@code threads} threads. */
    public LocalFleetRunner(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a pool needs a thread");
        }
        this.threads = threads;
    }

    /** Runs every task of {@code plan} with {@code simulator}; the first failed host (in task order) fails the run. */
    public FleetRun run(FleetPlan plan, HostSimulator simulator) throws FleetJobException {
        List<HostTask> tasks = plan.tasks();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<HostResult>> futures = new ArrayList<>();
            for (HostTask task : tasks) {
                futures.add(pool.submit(() -> simulateNamed(simulator, task)));
            }
            List<HostResult> results = new ArrayList<>();
            for (Future<HostResult> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    throw FleetJobException.of(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FleetJobException("interrupted", e);
                }
            }
            FleetAccumulator accumulator = new FleetAccumulator();
            results.forEach(accumulator::add);
            return new FleetRun(FleetRun.summaries(plan, accumulator), results.stream().map(HostResult::withoutSeries).toList(),
                    "threads " + threads,
                    (System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code task}, a failure wrapped so that it names the host. */
    static HostResult simulateNamed(HostSimulator simulator, HostTask task) {
        try {
            return simulator.simulate(task);
        } catch (HostFailedException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw new HostFailedException(task, e);
        }
    }
}
