package dev.rmpopt.tck;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tests of the kit: each deliberately broken backend must fail the rule its bug breaks, within the
 * default budget, with a report that names the rule, prints a replayable seed and a short sequence;
 * a merely suboptimal backend must see its optional rule skipped, never passed.
 */
class BrokenBackendsTest {

    private static String depth;
    private static String seed;

    /** The claim is about the default budget: run at depth 1 whatever -Ptck-deep says, and never from one fixed seed. */
    @BeforeAll
    static void defaultBudget() {
        Assumptions.assumeTrue(System.getenv(TckSettings.SEED_ENV) == null && System.getenv(TckSettings.DEPTH_ENV) == null,
                "the environment fixes the kit's seed or depth");
        depth = System.setProperty(TckSettings.DEPTH_PROPERTY, "1");
        seed = System.clearProperty(TckSettings.SEED_PROPERTY);
    }

    @AfterAll
    static void restore() {
        if (depth != null) {
            System.setProperty(TckSettings.DEPTH_PROPERTY, depth);
        }
        if (seed != null) {
            System.setProperty(TckSettings.SEED_PROPERTY, seed);
        }
    }

    /**
     * Runs the kit's required rules on {@code kit} and requires one of {@code rules} (the rules the bug
     * breaks, most specific first) to fail with a useful report.
     */
    private static void requireTestFailure(Class<? extends RmpMachineCompatibilityKit> kit, Rule... rules) {
        long start = System.nanoTime();
        Map<String, TckVerificationSupport.Outcome> outcomes = TckVerificationSupport.runRequired(kit);
        requireTestFailure(kit, outcomes, (System.nanoTime() - start) / 1_000_000, rules);
    }

    private static void requireTestFailure(Class<? extends RmpMachineCompatibilityKit> kit,
                                           Map<String, TckVerificationSupport.Outcome> outcomes, long ms, Rule... rules) {
        List<String> failed = outcomes.values().stream().filter(TckVerificationSupport.Outcome::failed)
                .map(TckVerificationSupport.Outcome::method).sorted().collect(Collectors.toList());
        System.out.println("[rmp-tck] broken backend " + kit.getSimpleName() + " failed " + failed + " in " + ms + " ms");
        outcomes.values().stream().filter(TckVerificationSupport.Outcome::failed)
                .forEach(o -> System.out.println("[rmp-tck]   " + o.message().replace("\n", "\n[rmp-tck]   ")));
        for (Rule rule : rules) {
            TckVerificationSupport.Outcome o = outcomes.get(rule.methodName());
            if (o != null && o.failed()) {
                assertTrue(o.message().contains("seed: 0x"), "the report prints the seed:\n" + o.message());
                assertTrue(o.message().contains(rule.methodName()), "the report names the rule:\n" + o.message());
                if (rule != Rule.CONCURRENT && rule != Rule.INTERLEAVING) {
                    long steps = o.message().lines().filter(l -> l.matches("\\s+\\d+\\. .*")).count();
                    // none when the power-on machine already breaks the rule (an observation's bounds)
                    boolean atPowerOn = o.message().contains("minimal steps (0 of");
                    assertTrue((steps >= 1 || atPowerOn) && steps <= 12, "the sequence is shrunk to a few steps (" + steps + "):\n" + o.message());
                }
                return;
            }
        }
        fail(kit.getSimpleName() + " should fail one of " + List.of(rules) + " but failed " + failed);
    }

    @Test
    void rmpupdateThatDoesNotClear() {
        // An unassigning RMPUPDATE that keeps the bit shows first as a bit no VERIFY set since the clear (I4).
        requireTestFailure(BrokenBackendKits.NoClearOnRmpupdate.class, Rule.I3, Rule.I1, Rule.I2, Rule.I4);
    }

    @Test
    void rmpupdateThatClearsOnlyTheCallingCore() {
        requireTestFailure(BrokenBackendKits.ClearsOnlyCallingCore.class, Rule.I3, Rule.I1, Rule.I2, Rule.I4);
    }

    @Test
    void verifyThatIgnores2MEntries() {
        requireTestFailure(BrokenBackendKits.VerifyIgnores2M.class, Rule.I1, Rule.I2);
    }

    @Test
    void verifyThatMissesTheLastPageOfARegion() {
        requireTestFailure(BrokenBackendKits.VerifyMissesLastPage.class, Rule.I1, Rule.I2);
    }

    @Test
    void oneGigMappingCheckedAs4K() {
        requireTestFailure(BrokenBackendKits.OneGigMappingCheckedAs4K.class, Rule.I2, Rule.CONCURRENT);
    }

    @Test
    void windowOffByOneRegion() {
        requireTestFailure(BrokenBackendKits.WindowOffByOne.class, Rule.S4_RESULTS, Rule.I4);
    }

    @Test
    void snpInitThatLeavesBitsSet() {
        requireTestFailure(BrokenBackendKits.SnpInitLeavesBits.class, Rule.I5);
    }

    @Test
    void racyVerify() {
        // Sequentially correct: only the concurrent rule can catch it, so only that one is run.
        requireConcurrentFailure(BrokenBackendKits.RacyVerify.class);
    }

    @Test
    void tornVerify() {
        // The same bug with a window only as wide as the code: the interleaving rule parks it there.
        long start = System.nanoTime();
        Map<String, TckVerificationSupport.Outcome> outcomes = TckVerificationSupport.runMethods(BrokenBackendKits.TornVerify.class,
                Rule.INTERLEAVING.methodName());
        requireTestFailure(BrokenBackendKits.TornVerify.class, outcomes, (System.nanoTime() - start) / 1_000_000, Rule.INTERLEAVING);
    }

    @Test
    void racySnpInit() {
        requireConcurrentFailure(BrokenBackendKits.RacySnpInit.class);
    }

    @Test
    void racyPsmash() {
        requireConcurrentFailure(BrokenBackendKits.RacyPsmash.class);
    }

    /** A bug only threads can show: only the concurrent rule is run, and it must fail. */
    private static void requireConcurrentFailure(Class<? extends RmpMachineCompatibilityKit> kit) {
        long start = System.nanoTime();
        Map<String, TckVerificationSupport.Outcome> outcomes = TckVerificationSupport.runMethods(kit, Rule.CONCURRENT.methodName());
        requireTestFailure(kit, outcomes, (System.nanoTime() - start) / 1_000_000, Rule.CONCURRENT);
    }

    @Test
    void failInUseWithNoOtherCpuRunning() {
        requireTestFailure(BrokenBackendKits.SpuriousFailInUse.class, Rule.S4_RESULTS);
    }

    @Test
    void failInUseAfterTheEntryChanged() {
        requireConcurrentFailure(BrokenBackendKits.FailInUseAfterChange.class);
    }

    @Test
    void failInUseUnderContentionThatChangedNothingIsAccepted() {
        BrokenMachines.HonestFailInUse.RETURNED.set(0);
        Map<String, TckVerificationSupport.Outcome> outcomes =
                TckVerificationSupport.runMethods(BrokenBackendKits.HonestFailInUse.class, Rule.CONCURRENT.methodName());
        TckVerificationSupport.Outcome o = outcomes.get(Rule.CONCURRENT.methodName());
        System.out.println("[rmp-tck] HonestFailInUse returned FAIL_INUSE " + BrokenMachines.HonestFailInUse.RETURNED.get() + " times");
        assertFalse(o.failed(), "a FAIL_INUSE that changed nothing is allowed under contention:\n" + o.message());
        assertTrue(BrokenMachines.HonestFailInUse.RETURNED.get() > 0, "the rounds met contention");
    }

    @Test
    void psmashThatDropsValidated() {
        requireTestFailure(BrokenBackendKits.PsmashDropsValidated.class, Rule.S4_RESULTS);
    }

    @Test
    void clearThatForgetsTables64AndUp() {
        requireTestFailure(BrokenBackendKits.ClearsFirst64Tables.class, Rule.I3, Rule.I4, Rule.I1);
    }

    @Test
    void clearThatForgetsThePartlyFilledLast32TableWord() {
        requireTestFailure(BrokenBackendKits.ClearRoundsWordsDown.class, Rule.I3, Rule.I4, Rule.I1);
    }

    @Test
    void intPageIndexPast8TiB() {
        requireTestFailure(BrokenBackendKits.IntPageIndex.class, Rule.S4_RESULTS, Rule.I1);
    }

    @Test
    void tablesThatConfuseNumaNodesOfOneSocket() {
        requireTestFailure(BrokenBackendKits.NumaNodeTables.class, Rule.I4);
    }

    @Test
    void staleBitsAfterReinit() {
        requireTestFailure(BrokenBackendKits.StaleBitsAfterReinit.class, Rule.I5);
    }

    @Test
    void cleanRegionCacheMissesSnpInitsPages() {
        requireTestFailure(BrokenBackendKits.CleanCacheMissesSnpInit.class, Rule.I1);
    }

    @Test
    void cleanRegionCacheMissesFirmwareStateRmpupdate() {
        requireTestFailure(BrokenBackendKits.CleanCacheMissesFirmwareState.class, Rule.I1);
    }

    @Test
    void clearsWithoutOnOptimizationCleared() {
        requireTestFailure(BrokenBackendKits.NoClearEvent.class, Rule.SPI_EVENTS);
    }

    @Test
    void clearEventWithTheWrongTableCount() {
        requireTestFailure(BrokenBackendKits.WrongClearCount.class, Rule.SPI_EVENTS);
    }

    @Test
    void nothingReportedAtSnpShutdown() {
        requireTestFailure(BrokenBackendKits.SilentShutdown.class, Rule.SPI_EVENTS);
    }

    @Test
    void ipiRoundThatStopsAfterTheFirstWordOfItsMask() {
        requireTestFailure(BrokenBackendKits.RoundStopsAfterFirstWord.class, Rule.I4, Rule.S4_RESULTS);
    }

    @Test
    void ownAssignedPageCountThatCountsA2MEntryOnce() {
        requireTestFailure(BrokenBackendKits.AssignedPagesCounts2MOnce.class, Rule.S4_RESULTS);
    }

    @Test
    void ownObservationThatAnswersForARegionPastTheHost() {
        requireTestFailure(BrokenBackendKits.FirstAssignedPagePastTheEnd.class, Rule.OUT_OF_CONTRACT);
    }

    @Test
    void nullArgumentsAccepted() {
        requireTestFailure(BrokenBackendKits.AcceptsNulls.class, Rule.OUT_OF_CONTRACT);
    }

    @Test
    void suboptimalClearingIsSkippedNotPassed() {
        Map<String, TckVerificationSupport.Outcome> outcomes = TckVerificationSupport.run(BrokenBackendKits.ClearsEverything.class);
        // (the interleaving rule is not verified for a backend without interleaving points: skipped, not failed)
        outcomes.values().stream().filter(o -> o.method().startsWith("required_"))
                .forEach(o -> assertFalse(o.failed() || (o.skipped() && !o.method().equals(Rule.INTERLEAVING.methodName())),
                        o.method() + " should pass: " + o.message()));
        TckVerificationSupport.Outcome exact = outcomes.get(Rule.EXACT_BITS.methodName());
        assertTrue(exact.skipped(), "the optional rule is skipped, not " + exact.status());
        assertTrue(exact.message().contains("OPTIONAL") && exact.message().contains("seed: 0x"), exact.message());
    }

    @Test
    void undeclaredCapabilitiesAreSkippedWithTheirReason() {
        String[] methods = {"optional_M_perLogicalCpuTables_requiredRulesHold", "optional_M_assignOnlyClearPolicy_requiredRulesHold",
            Rule.CONCURRENT.methodName()};
        Map<String, TckVerificationSupport.Outcome> outcomes =
                TckVerificationSupport.runMethods(BrokenBackendKits.NoOptionalCapabilities.class, methods);
        for (String m : methods) {
            TckVerificationSupport.Outcome o = outcomes.get(m);
            assertTrue(o.skipped(), m + " is skipped, not " + o.status());
            assertTrue(o.message().contains("does not declare"), o.message());
        }
    }

    /**
     * The kit against a correct backend: every rule passes and none is skipped but the interleaving
     * rule (the backend has no interleaving points), so the default budget also reached every minimum
     * the kit requires of itself (a shortfall is a skip); every rule has a display name and a hint.
     */
    @Test
    void aCorrectBackendPassesEveryRuleAndOnlyTheInterleavingOneIsSkipped() {
        Map<String, TckVerificationSupport.Outcome> outcomes =
                TckVerificationSupport.run(BrokenBackendKits.SimpleSnpMachineCompatibility.class);
        assertEquals(Rule.values().length + 2, outcomes.size(), "every rule reported: " + outcomes.keySet());
        // the one exception: a backend that calls no InterleavingProbe leaves the interleaving rule not verified (skipped)
        outcomes.values().stream().filter(o -> !o.method().equals(Rule.INTERLEAVING.methodName()))
                .forEach(o -> assertEquals(TestExecutionResult.Status.SUCCESSFUL, o.status(), o.method() + ": " + o.message()));
        TckVerificationSupport.Outcome interleaving = outcomes.get(Rule.INTERLEAVING.methodName());
        assertTrue(interleaving.skipped() && interleaving.message().contains("never called the InterleavingProbe"),
                "the interleaving rule is skipped, saying why: " + interleaving.message());
        for (Rule r : Rule.values()) {
            assertFalse(r.displayName().equals(r.methodName()) || r.ifFails().isBlank(), r + " has a display name and a hint");
        }
    }
}
