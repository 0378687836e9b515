package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kvm.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.SnpMachine;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** VM churn on a 16 GiB host under every policy and placement, with SPEC 6 checked along the way. */
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
        RegionClearTracker clears = new RegionClearTracker();
        SnpMachine machine = Invariants.checkingSkippedWrites(
                RmpBackendProvider.named("reference").create(host, ModelOptions.DEFAULTS, clears));
        EventScheduler scheduler = new EventScheduler();
        RmpoptDriver driver = new RmpoptDriver(machine, clears, RmpoptCostModel.AMD_CALIBRATED, scheduler::now, PassListener.NONE);
        KernelRmpopt kernel = new KernelRmpopt(driver, scheduler, policy.get());
        PlacementPolicy place = placement.equals("pack") ? PlacementPolicy.packSnpRegions() : PlacementPolicy.scatter(5);
        Hypervisor hypervisor = new Hypervisor(machine, new HostFrameAllocator(host, place), kernel);
        for (long t = 45 * SECOND; t < SMALL.durationNanos(); t += 120 * SECOND) {
            scheduler.schedule(t, () -> Invariants.checkQuiescent(machine));
        }

        ChurnReport report = new ChurnSimulation(hypervisor, scheduler, SMALL).run();
        Invariants.checkQuiescent(machine);

        assertEquals(name, report.policy());
        assertTrue(report.vmsLaunched() >= 10, "launched " + report.vmsLaunched());
        assertTrue(report.vmsDestroyed() >= 5, "destroyed " + report.vmsDestroyed());
        assertEquals(report.vmsLaunched() - report.vmsDestroyed(), hypervisor.runningVms().size());
        WriteStats w = report.writes();
        for (WriteKind kind : WriteKind.values()) {
            assertEquals(0, w.faulted(kind), kind + " faulted");
            assertEquals(w.total(kind), w.skipped(kind) + w.checked(kind) + w.unchecked(kind) + w.faulted(kind));
        }
        assertEquals(0, w.skipped(WriteKind.SNP_GUEST), "SNP guests are always checked");
        assertTrue(w.hostSideTotal() > 0 && w.hostSideSkipped() < w.hostSideTotal());
        if (placement.equals("pack")) {
            assertTrue(w.hostSideSkipped() > 0, "packed SNP memory leaves regions whose writes skip the check");
        }
        assertEquals(SMALL.durationNanos() / SMALL.sampleNanos() + 2, report.coverage().size());
        if (name.equals("boot-only")) {
            assertEquals(1, report.passes().size());
        } else {
            assertTrue(report.passes().size() > 1, "passes " + report.passes().size());
        }
        for (PassRecord pass : report.passes()) {
            assertTrue(pass.modeledNanos() > 0);
            assertEquals(pass.regions() * 4, pass.rmpoptInstructions());
        }
    }
}
