package dev.rmpopt.tck;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.SnpMachine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs one sequence of steps on a fresh backend machine and a fresh {@link SpecModel} side by
 * side, checking after every step (SPEC 6: "in every reachable state"). The steps come either from
 * the {@link StepGen} (a new trial) or from a list (a replay while shrinking).
 */
final class StatefulRunner {

    /**
     * What a run did.
     *
     * @param violation the first broken rule among those checked, or null
     * @param steps     the steps run, the violating one last
     * @param results   what the backend returned for each step
     */
    record Run(Violation violation, List<Step> steps, List<Observation> results) {
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

    /** A new trial: {@code length} generated steps. */
    Run generate(Scenario scenario, int length, Set<Rule> enabled, Coverage coverage) {
        StepGen gen = new StepGen(scenario.hot());
        SplittableRandom r = scenario.random();
        int[] left = {length};
        return run(scenario, model -> left[0]-- > 0 ? gen.next(model, r) : null, enabled, coverage);
    }

    /** A replay of {@code steps}. */
    Run replay(Scenario scenario, List<Step> steps, Set<Rule> enabled) {
        Iterator<Step> it = steps.iterator();
        return run(scenario, model -> it.hasNext() ? it.next() : null, enabled, new Coverage());
    }

    private Run run(Scenario scenario, StepSource source, Set<Rule> enabled, Coverage coverage) {
        EventRecorder events = new EventRecorder();
        SpecModel model = new SpecModel(scenario.host(), scenario.options());
        SnpMachine machine = factory.create(scenario.host(), scenario.options(), events);
        StepChecker checker = new StepChecker(machine, model, scenario.hot(), events, enabled, coverage);
        List<Step> steps = new ArrayList<>();
        List<Observation> results = new ArrayList<>();
        try {
            checker.checkCreated();
            for (Step step = source.next(model); step != null; step = source.next(model)) {
                steps.add(step);
                boolean bitBefore = step instanceof Step.RmpUpdate && anyBit(model, ((Step.RmpUpdate) step).spa());
                events.reset();
                Observation actual = Observation.of(step, machine);
                results.add(actual);
                Observation expected = Observation.of(step, model);
                checker.check(step, actual, expected, bitBefore);
            }
        } catch (StepChecker.Stop stop) {
            return new Run(stop.violation, steps, results);
        } catch (RuntimeException e) {
            // The backend threw while the checker probed it (REPORT_STATUS, RMPREAD, RDMSR): a result the SPI never allows.
            Violation v = new Violation(Rule.S4_RESULTS, "the backend threw " + e + " while the kit read its state after "
                    + (steps.isEmpty() ? "creation" : steps.get(steps.size() - 1).describe()));
            return new Run(enabled.contains(Rule.S4_RESULTS) ? v : null, steps, results);
        }
        return new Run(null, steps, results);
    }

    private static boolean anyBit(SpecModel model, long spa) {
        if (spa < 0) {
            return false;
        }
        long region = Geometry.regionIndex(spa);
        for (int cpu = 0; cpu < model.host().topology().cpuCount(); cpu++) {
            if (model.bit(cpu, region)) {
                return true;
            }
        }
        return false;
    }
}
