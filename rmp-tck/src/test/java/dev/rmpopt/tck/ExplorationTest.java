package dev.rmpopt.tck;

import dev.rmpopt.api.ModelOptions;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stateful runner and the exploration: determinism, reach, and replayable counterexamples. */
class ExplorationTest {

    private static final MachineFactory SIMPLE = SimpleSnpMachine::new;

    @Test
    void aSeedReplaysTheSameStepsAndResults() {
        StatefulRunner runner = new StatefulRunner(SIMPLE);
        StatefulRunner.Run a = runner.generate(Scenario.draw(1234, ModelOptions.DEFAULTS), 80, EnumSet.allOf(Rule.class), new Coverage());
        StatefulRunner.Run b = runner.generate(Scenario.draw(1234, ModelOptions.DEFAULTS), 80, EnumSet.allOf(Rule.class), new Coverage());
        assertFalse(a.failed(), () -> String.valueOf(a.violation()));
        assertEquals(a.steps(), b.steps());
        assertEquals(a.results().toString(), b.results().toString());
        StatefulRunner.Run replay = runner.replay(Scenario.draw(1234, ModelOptions.DEFAULTS), a.steps(), EnumSet.allOf(Rule.class));
        assertEquals(a.results().toString(), replay.results().toString());
    }

    /**
     * The default budget reaches the premise of every rule many times: a rule whose premise is never
     * met cannot fail, and would pass for nothing.
     */
    @Test
    void theDefaultBudgetReachesEveryRulesPremise() {
        Verdicts v = new Exploration(SIMPLE, new TckSettings(OptionalLong.empty(), 1)).explore("reach", ModelOptions.DEFAULTS);
        Coverage c = v.coverage();
        for (String premise : new String[] {Coverage.VERIFY_SET_BIT, Coverage.ASSIGN_OVER_BIT, Coverage.SKIPPED_WRITE,
                Coverage.FAULTED_WRITE, Coverage.RMPUPDATE_2M, Coverage.PSMASH, Coverage.LAUNCH_UPDATE, Coverage.PAGE_RECLAIM,
                Coverage.VERIFY_REFUSED_LAST_RANGE, Coverage.VERIFY_REFUSED_2M_ONLY, Coverage.WRITE_1G_FAULT_ELSEWHERE,
                Coverage.VERIFY_PAST_WINDOW}) {
            assertTrue(c.get(premise) >= 5, premise + " reached only " + c.get(premise) + " times: " + c);
        }
        for (Rule r : Rule.values()) {
            assertFalse(v.failed(r), () -> v.report(r).orElse(""));
        }
    }

    @Test
    void aPrintedSeedReplaysTheFailure() {
        MachineFactory broken = BrokenMachines.NoClearOnRmpupdate::new;
        Verdicts first = new Exploration(broken, new TckSettings(OptionalLong.empty(), 1)).explore("x", ModelOptions.DEFAULTS);
        Rule rule = first.firstFailure().orElseThrow();
        String report = first.report(rule).orElseThrow();
        Matcher m = Pattern.compile("seed: (0x[0-9a-f]+)").matcher(report);
        assertTrue(m.find(), report);
        TckSettings replay = new TckSettings(OptionalLong.of(TckSettings.parseSeed(m.group(1))), 1);
        Verdicts again = new Exploration(broken, replay).explore("x", ModelOptions.DEFAULTS);
        assertEquals(1, again.trials());
        assertEquals(report, again.report(rule).orElseThrow(), "the same seed gives the same shrunk report");
    }
}
