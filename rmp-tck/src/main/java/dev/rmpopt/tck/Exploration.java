package dev.rmpopt.tck;

import dev.rmpopt.api.ModelOptions;

import java.util.List;

/**
 * Many random sequential trials under one option set (model §4 [M] options): each trial draws a
 * host, a window and a sequence from its seed and runs it with the {@link StatefulRunner}. The
 * first broken required rule is shrunk into a {@link Counterexample} and ends the exploration, so
 * a broken backend costs little and its report names the first rule that broke; the first dropped
 * bit (the optional rule) is shrunk too, and the exploration goes on.
 *
 * <p>Budgets: each trial has at most {@value #MAX_STEPS} steps and {@link TckSettings#TRIAL_MILLIS}
 * of wall-clock time, and the exploration at most {@link TckSettings#explorationNanos()} of CPU
 * time and {@link TckSettings#explorationWallNanos()} in all, so a slow backend shortens the run
 * rather than stretching it, while a loaded machine does not. An exploration that was cut, or that did
 * not reach the premises the kit requires of itself ({@link Coverage#MINIMUMS}), reports its
 * passing rules as not verified.
 */
final class Exploration {

    /** Steps per trial: from {@value #MIN_STEPS} to {@value #MAX_STEPS}. */
    static final int MIN_STEPS = 20;
    static final int MAX_STEPS = 120;
    /** Replays the shrinker may use per counterexample. */
    static final int SHRINK_ATTEMPTS = 300;

    private final MachineFactory factory;
    private final TckSettings settings;
    private final long trialNanos;
    private final long explorationNanos;
    private final long explorationWallNanos;

    Exploration(MachineFactory factory, TckSettings settings) {
        this(factory, settings, TckSettings.TRIAL_MILLIS * 1_000_000L, settings.explorationNanos(), settings.explorationWallNanos());
    }

    /**
     * An exploration with other time budgets (the kit's tests shorten them): {@code trialNanos} of
     * wall-clock time per trial, {@code explorationNanos} of the exploring thread's CPU time (a
     * loaded machine does not shorten it) and {@code explorationWallNanos} of wall-clock time (for
     * a backend that is slow without using the CPU) per exploration.
     */
    Exploration(MachineFactory factory, TckSettings settings, long trialNanos, long explorationNanos, long explorationWallNanos) {
        this.factory = factory;
        this.settings = settings;
        this.trialNanos = trialNanos;
        this.explorationNanos = explorationNanos;
        this.explorationWallNanos = explorationWallNanos;
    }

    /** The calling thread's CPU time in nanoseconds, or its wall-clock time where the JVM does not measure CPU time. */
    private static long cpuNanos() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Explores with options like {@code base} (its scope and clear policy; windows vary), the default budget. */
    Verdicts explore(String name, ModelOptions base) {
        return explore(name, base, TckSettings.SEQUENTIAL_TRIALS);
    }

    /** Explores with options like {@code base} for {@code trials} trials (times the depth), held to its share of the minimums. */
    Verdicts explore(String name, ModelOptions base, int trials) {
        return explore(name, base, trials, (double) trials / TckSettings.SEQUENTIAL_TRIALS * settings.budget());
    }

    /**
     * Explores with options like {@code base} for {@code trials} trials (times the depth); the
     * exploration must reach {@code minimumShare} of {@link Coverage#MINIMUMS}.
     */
    Verdicts explore(String name, ModelOptions base, int trials, double minimumShare) {
        long start = System.nanoTime();
        long deadline = start + explorationWallNanos;
        long cpuDeadline = cpuNanos() + explorationNanos;
        Verdicts verdicts = new Verdicts();
        verdicts.seeds(settings.describeSeeds());
        StatefulRunner runner = new StatefulRunner(factory);
        long[] seeds = settings.trialSeeds(name, trials);
        boolean cut = false;
        for (long seed : seeds) {
            if (System.nanoTime() > deadline || cpuNanos() > cpuDeadline) {
                cut = true;
                break;
            }
            Scenario scenario = Scenario.draw(seed, base);
            int length = MIN_STEPS + scenario.random().nextInt(MAX_STEPS - MIN_STEPS + 1);
            long trialDeadline = Math.min(deadline, System.nanoTime() + trialNanos);
            StatefulRunner.Run run = runner.generate(scenario, length, verdicts.coverage(), trialDeadline);
            verdicts.trialDone(run.cut());
            if (run.drop() != null && !verdicts.exactBitsFailed()) {
                verdicts.failExactBits(shrinkDrop(runner, scenario, run));
            }
            if (run.failed()) {
                verdicts.fail(run.violation().rule(), shrink(runner, scenario, run).report());
                break;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        verdicts.took(millis);
        if (cut) {
            verdicts.notVerified("not verified: the exploration's time budget (" + explorationNanos / 1_000_000
                    + " ms of CPU time, " + explorationWallNanos / 1_000_000 + " ms in all) ran out after " + verdicts.trials() + " of " + seeds.length + " trials; the backend is too slow "
                    + "for the default budget");
        } else if (!settings.replaying()) {
            String shortfalls = verdicts.coverage().shortfalls(minimumShare);
            if (shortfalls != null && verdicts.firstFailure().isEmpty()) {
                verdicts.notVerified("not verified: the exploration did not reach what the kit requires of itself (" + shortfalls + ")");
            }
        }
        return verdicts;
    }

    /** The minimal sequence that still breaks the same rule first, replayed once more for its results. */
    private static Counterexample shrink(StatefulRunner runner, Scenario scenario, StatefulRunner.Run run) {
        Rule rule = run.violation().rule();
        Shrinker<Step> shrinker = new Shrinker<>(candidate -> {
            StatefulRunner.Run replay = runner.replay(scenario, candidate, false);
            return replay.failed() && replay.violation().rule() == rule;
        }, Step::simplifications, SHRINK_ATTEMPTS);
        StatefulRunner.Run minimal = runner.replay(scenario, shrinker.shrink(run.steps()), false);
        if (!minimal.failed() || minimal.violation().rule() != rule) {
            // A flaky backend (the failure depends on timing): report the original trial instead.
            return new Counterexample(run.violation(), scenario, run.steps(), run.results(), run.steps().size());
        }
        return new Counterexample(minimal.violation(), scenario, minimal.steps(), minimal.results(), run.steps().size());
    }

    /** The minimal sequence after which the backend still drops a bit the model keeps (the optional rule). */
    private static Counterexample shrinkDrop(StatefulRunner runner, Scenario scenario, StatefulRunner.Run run) {
        List<Step> prefix = run.steps().subList(0, run.dropStep() + 1);
        Shrinker<Step> shrinker = new Shrinker<>(candidate -> {
            StatefulRunner.Run replay = runner.replay(scenario, candidate, true);
            return replay.failed() && replay.violation().rule() == Rule.EXACT_BITS;
        }, Step::simplifications, SHRINK_ATTEMPTS);
        StatefulRunner.Run minimal = runner.replay(scenario, shrinker.shrink(prefix), true);
        if (!minimal.failed() || minimal.violation().rule() != Rule.EXACT_BITS) {
            return new Counterexample(run.drop(), scenario, prefix, run.results().subList(0, prefix.size()), run.steps().size());
        }
        return new Counterexample(minimal.violation(), scenario, minimal.steps(), minimal.results(), run.steps().size());
    }
}
