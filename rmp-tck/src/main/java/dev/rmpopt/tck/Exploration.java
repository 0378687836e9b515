package dev.rmpopt.tck;

import dev.rmpopt.api.ModelOptions;

import java.util.EnumSet;
import java.util.Set;

/**
 * Many random sequential trials under one option set (SPEC 4 [M] options): each trial draws a
 * host, a window and a sequence from its seed and runs it with the {@link StatefulRunner}; the
 * first violation of each rule is shrunk into a {@link Counterexample}, and that rule is no longer
 * checked so that the remaining trials look for the other rules' failures.
 */
final class Exploration {

    /** Steps per trial: from {@value #MIN_STEPS} to {@value #MAX_STEPS}. */
    static final int MIN_STEPS = 20;
    static final int MAX_STEPS = 120;
    /** Replays the shrinker may use per counterexample. */
    static final int SHRINK_ATTEMPTS = 400;

    private final MachineFactory factory;
    private final TckSettings settings;

    Exploration(MachineFactory factory, TckSettings settings) {
        this.factory = factory;
        this.settings = settings;
    }

    /** Explores with options like {@code base} (its scope and clear policy; windows vary). */
    Verdicts explore(String name, ModelOptions base) {
        long start = System.nanoTime();
        Verdicts verdicts = new Verdicts();
        Set<Rule> enabled = EnumSet.noneOf(Rule.class);
        for (Rule r : Rule.values()) {
            if (r.checkedPerStep()) {
                enabled.add(r);
            }
        }
        StatefulRunner runner = new StatefulRunner(factory);
        for (long seed : settings.trialSeeds(name, TckSettings.SEQUENTIAL_TRIALS)) {
            if (enabled.isEmpty()) {
                break;
            }
            Scenario scenario = Scenario.draw(seed, base);
            int length = MIN_STEPS + scenario.random().nextInt(MAX_STEPS - MIN_STEPS + 1);
            StatefulRunner.Run run = runner.generate(scenario, length, EnumSet.copyOf(enabled), verdicts.coverage());
            verdicts.trialDone();
            if (run.failed()) {
                Rule rule = run.violation().rule();
                verdicts.fail(shrink(runner, scenario, run));
                enabled.remove(rule);
            }
        }
        verdicts.took((System.nanoTime() - start) / 1_000_000);
        return verdicts;
    }

    /** The minimal sequence that still breaks the same rule, replayed once more for its results. */
    private static Counterexample shrink(StatefulRunner runner, Scenario scenario, StatefulRunner.Run run) {
        Rule rule = run.violation().rule();
        Set<Rule> only = EnumSet.of(rule);
        Shrinker<Step> shrinker = new Shrinker<>(candidate -> {
            StatefulRunner.Run replay = runner.replay(scenario, candidate, only);
            return replay.failed() && replay.violation().rule() == rule;
        }, Step::simplifications, SHRINK_ATTEMPTS);
        StatefulRunner.Run minimal = runner.replay(scenario, shrinker.shrink(run.steps()), only);
        if (!minimal.failed()) {
            // A flaky backend (the failure depends on timing): report the original trial instead.
            return new Counterexample(run.violation(), scenario, run.steps(), run.results(), run.steps().size());
        }
        return new Counterexample(minimal.violation(), scenario, minimal.steps(), minimal.results(), run.steps().size());
    }
}
