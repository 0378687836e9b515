package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RmpoptPolicy;
import dev.rmpopt.telemetry.CounterSeries;
import dev.rmpopt.telemetry.TelemetrySnapshot;
import dev.rmpopt.telemetry.WriteOutcome;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** VM churn on a 16 GiB host under every policy and placement, with model §6 checked along the way. */
class ChurnSimulationTest {

    static final ChurnConfig SMALL = new ChurnConfig(600 * SECOND, 20 * SECOND, 90 * SECOND, 1, 3, 0.7, 0.6,
            8L << 20, 5, 30 * SECOND, 11);

    static Stream<Arguments> policiesAndPlacements() {
        List<Supplier<RmpoptPolicy>> policies = List.of(Policies::bootOnly, Policies::delayedAfterDestroy,
                Policies::debouncedAfterLastDestroy, Policies::targetedFreedRegions);
        return policies.stream().flatMap(p -> Stream.of(
                Arguments.of(p.get().name(), p, "scatter"), Arguments.of(p.get().name(), p, "pack")));
    }

    @ParameterizedTest(name = "{0} with {2} placement")
    @MethodSource("policiesAndPlacements")
    void invariantsHoldAndTheAccountsAddUp(String name, Supplier<RmpoptPolicy> policy, String placement) {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 2, 2), 16 * GIB);
        PlacementPolicy place = placement.equals("pack") ? PlacementPolicy.packSnpRegions() : PlacementPolicy.scatter(5);
        Sim sim = new Sim(host, "reference", Invariants::checkingSkippedWrites, policy.get(), place);
        SnpMachine machine = sim.machine;
        Hypervisor hypervisor = sim.hypervisor;
        for (long t = 45 * SECOND; t < SMALL.durationNanos(); t += 120 * SECOND) {
            sim.scheduler.schedule(t, () -> Invariants.checkQuiescent(machine));
        }

        ChurnReport report = sim.churn(SMALL);
        Invariants.checkQuiescent(machine);
        TelemetrySnapshot t = sim.telemetry.snapshot(sim.scheduler.now());

        assertEquals(name, report.policy());
        assertTrue(report.vmsLaunched() >= 10, "launched " + report.vmsLaunched());
        assertTrue(report.vmsDestroyed() >= 5, "destroyed " + report.vmsDestroyed());
        assertEquals(report.vmsLaunched() - report.vmsDestroyed(), hypervisor.runningVms().size());
        assertEquals(0, t.writes().get(WriteOutcome.FAULTED).total(), "host-side writes faulted");
        assertEquals(0, t.snpGuestWrites().get(WriteOutcome.FAULTED), "SNP guest writes faulted");
        assertEquals(0, t.snpGuestWrites().get(WriteOutcome.SKIPPED), "SNP guests are always checked");
        assertTrue(t.snpGuestWrites().get(WriteOutcome.CHECKED) > 0);
        long hostSide = t.writes().values().stream().mapToLong(CounterSeries::total).sum();
        long skipped = t.writes().get(WriteOutcome.SKIPPED).total();
        assertTrue(hostSide > 0 && skipped < hostSide);
        if (placement.equals("pack")) {
            assertTrue(skipped > 0, "packed SNP memory leaves regions whose writes skip the check");
        }
        assertEquals(SMALL.durationNanos() / SMALL.sampleNanos() + 2, t.coverage().size());
        if (name.equals("boot-only")) {
            assertEquals(1, t.passes().size());
        } else {
            assertTrue(t.passes().size() > 1, "passes " + t.passes().size());
        }
        for (PassRecord pass : t.passes()) {
            assertTrue(pass.modeledNanos() > 0);
            assertEquals(pass.regions() * 4, pass.rmpoptInstructions());
        }
    }
}
