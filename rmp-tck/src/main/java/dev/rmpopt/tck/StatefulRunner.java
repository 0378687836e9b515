package dev.rmpopt.tck;

import dev.rmpopt.api.SnpMachine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one sequence of steps on a fresh backend machine and a fresh {@link SpecModel} side by
 * side, checking after every step (model §6: "in every reachable state"). The steps come either from
 * the {@link StepGen} (a new trial) or from a list (a replay while shrinking). The first broken
 * rule ends the run (see {@link StepChecker}); so does the trial's time budget.
 */
final class StatefulRunner {

    /**
     * What a run did.
     *
     * @param violation the first broken rule, or null
     * @param steps     the steps run, the violating one last
     * @param results   what the backend returned for each step
     * @param drop      the first bit the backend dropped (the optional rule), or null
     * @param dropStep  the index of the step after which it was found, or -1
     * @param cut       whether the trial's time budget ended the run early
     */
    record Run(Violation violation, List<Step> steps, List<Observation> results, Violation drop, int dropStep, boolean cut) {
        boolean failed() {
            return violation != null;
        }
    }

    private final MachineFactory factory;

    StatefulRunner(MachineFactory factory) {
        this.factory = factory;
    }

    /** Where a run's steps come from: the next step for the model's current state, or null at the end. */
    @FunctionalInterface
    interface StepSource {
        Step next(SpecModel model);
    }

    /** A new trial: up to {@code length} generated steps, stopping early once {@code deadlineNanos} (System.nanoTime) has passed. */
    Run generate(Scenario scenario, int length, Coverage coverage, long deadlineNanos) {
        StepGen gen = new StepGen(scenario.hot(), scenario.random());
        SplittableRandom r = scenario.random();
        int[] left = {length};
        return run(scenario, model -> left[0]-- > 0 ? gen.next(model, r) : null, coverage, false, deadlineNanos);
    }

    /** A new trial of {@code length} steps without a time budget. */
    Run generate(Scenario scenario, int length, Coverage coverage) {
        return generate(scenario, length, coverage, Long.MAX_VALUE);
    }

    /** A replay of {@code steps}; with {@code stopOnDrop} a dropped bit ends it as a violation of the optional rule. */
    Run replay(Scenario scenario, List<Step> steps, boolean stopOnDrop) {
        Iterator<Step> it = steps.iterator();
        return run(scenario, model -> it.hasNext() ? it.next() : null, new Coverage(), stopOnDrop, Long.MAX_VALUE);
    }

    private Run run(Scenario scenario, StepSource source, Coverage coverage, boolean stopOnDrop, long deadline) {
        EventRecorder events = new EventRecorder();
        SpecModel model = new SpecModel(scenario.host(), scenario.options());
        SnpMachine machine = factory.create(scenario.host(), scenario.options(), events);
        StepChecker checker = new StepChecker(machine, model, scenario.hot(), coverage, stopOnDrop);
        List<Step> steps = new ArrayList<>();
        List<Observation> results = new ArrayList<>();
        boolean cut = false;
        scenario.countCoverage(coverage);
        try {
            events.mute();
            checker.checkCreated();
            for (Step step = source.next(model); step != null; step = source.next(model)) {
                steps.add(step);
                StepChecker.Before before = StepChecker.Before.of(step, model);
                events.listen();
                Observation actual = Observation.of(step, machine);
                List<Event> heard = events.take();
                events.mute();
                results.add(actual);
                Observation expected = Observation.of(step, model);
                checker.check(step, actual, expected, heard, before);
                if (System.nanoTime() > deadline) {
                    cut = true;
                    break;
                }
            }
        } catch (StepChecker.Stop stop) {
            return new Run(stop.violation, steps, results, checker.firstDrop(), checker.dropStep(), false);
        } catch (RuntimeException e) {
            // The backend threw while the checker probed it (REPORT_STATUS, RMPREAD, RDMSR): a result the SPI never allows.
            Violation v = new Violation(Rule.S4_RESULTS, "the backend threw " + e + " while the kit read its state after "
                    + (steps.isEmpty() ? "creation" : steps.get(steps.size() - 1).describe()));
            return new Run(v, steps, results, checker.firstDrop(), checker.dropStep(), false);
        }
        return new Run(null, steps, results, checker.firstDrop(), checker.dropStep(), cut);
    }
}
