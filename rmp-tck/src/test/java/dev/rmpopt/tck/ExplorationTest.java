package dev.rmpopt.tck;

import dev.rmpopt.api.ModelOptions;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stateful runner and the exploration: determinism, reach, budgets and replayable counterexamples. */
class ExplorationTest {

    private static final MachineFactory SIMPLE = (h, o, l, p) -> new SimpleSnpMachine(h, o, l);
    private static final TckSettings DEFAULT = new TckSettings(OptionalLong.empty(), 1);

    @Test
    void aSeedReplaysTheSameStepsAndResults() {
        StatefulRunner runner = new StatefulRunner(SIMPLE);
        StatefulRunner.Run a = runner.generate(Scenario.draw(1234, ModelOptions.DEFAULTS), 80, new Coverage());
        StatefulRunner.Run b = runner.generate(Scenario.draw(1234, ModelOptions.DEFAULTS), 80, new Coverage());
        assertFalse(a.failed(), () -> String.valueOf(a.violation()));
        assertEquals(a.steps(), b.steps());
        assertEquals(a.results().toString(), b.results().toString());
        StatefulRunner.Run replay = runner.replay(Scenario.draw(1234, ModelOptions.DEFAULTS), a.steps(), false);
        assertEquals(a.results().toString(), replay.results().toString());
    }

    /**
     * The default budget reaches the premise of every rule many times, and the minimums the kit
     * requires of itself: a rule whose premise is never met cannot fail, and would pass for nothing.
     * (The exploration itself holds every run to {@link Coverage#MINIMUMS}; the correct backend's
     * kit run in {@link BrokenBackendsTest} shows the default budget meets them; this test shows
     * that a shallow exploration is reported, not passed.)
     */
    @Test
    void aShallowExplorationIsReportedAsNotVerified() {
        Verdicts v = new Exploration(SIMPLE, DEFAULT).explore("shallow", ModelOptions.DEFAULTS, 20, 1.0);
        assertTrue(v.coverage().shortfalls(1.0) != null);
        assertTrue(v.notVerifiedReason(Rule.I1).orElseThrow().contains("did not reach what the kit requires of itself"),
                v.summary());
        assertNull(new Coverage().shortfalls(0.0));
    }

    @Test
    void theFirstBrokenRuleStopsTheExplorationAndTheOthersAreNotVerified() {
        Verdicts v = new Exploration((h, o, l, p) -> new BrokenMachines.NoClearOnRmpupdate(h, o, l), DEFAULT).explore("x", ModelOptions.DEFAULTS);
        Rule first = v.firstFailure().orElseThrow();
        assertTrue(v.trials() < TckSettings.SEQUENTIAL_TRIALS, "stopped at trial " + v.trials());
        String report = v.report(first).orElseThrow();
        assertTrue(report.contains(first.displayName()) && report.contains("if this fails, check: " + first.ifFails()), report);
        for (Rule r : Rule.values()) {
            if (r != first && r.level() == RuleLevel.REQUIRED && r != Rule.CONCURRENT) {
                assertTrue(v.report(r).isEmpty());
                assertTrue(v.notVerifiedReason(r).orElseThrow().contains(first.methodName()));
            }
        }
    }

    @Test
    void aPrintedSeedReplaysTheFailure() {
        MachineFactory broken = (h, o, l, p) -> new BrokenMachines.NoClearOnRmpupdate(h, o, l);
        Verdicts first = new Exploration(broken, DEFAULT).explore("x", ModelOptions.DEFAULTS);
        Rule rule = first.firstFailure().orElseThrow();
        String report = first.report(rule).orElseThrow();
        Matcher m = Pattern.compile("seed: (0x[0-9a-f]+)").matcher(report);
        assertTrue(m.find(), report);
        TckSettings replay = new TckSettings(OptionalLong.of(TckSettings.parseSeed(m.group(1))), 1);
        Verdicts again = new Exploration(broken, replay).explore("x", ModelOptions.DEFAULTS);
        assertEquals(1, again.trials());
        assertEquals(report, again.report(rule).orElseThrow(), "the same seed gives the same shrunk report");
        Verdicts rerun = new Exploration(broken, DEFAULT).explore("x", ModelOptions.DEFAULTS);
        assertEquals(report, rerun.report(rule).orElseThrow(), "the fixed seed set gives the same report in every run");
    }

    /** A backend whose REPORT_STATUS takes a millisecond: the trial and exploration budgets bound the run. */
    @Test
    void aSlowBackendCannotStretchTheRun() {
        long start = System.nanoTime();
        Verdicts v = new Exploration((h, o, l, p) -> new BrokenMachines.SlowReport(h, o, l), DEFAULT, 50_000_000L, 1_500_000_000L, 3_000_000_000L)
                .explore("slow", ModelOptions.DEFAULTS);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 8_000, "took " + ms + " ms");
        assertTrue(v.summary().contains("cut by the trial time budget"), v.summary());
        assertTrue(v.notVerifiedReason(Rule.I1).orElseThrow().contains("time budget"), v.summary());
    }
}
