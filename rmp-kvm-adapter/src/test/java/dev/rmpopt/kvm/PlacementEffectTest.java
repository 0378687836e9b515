package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kvm.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import org.junit.jupiter.api.Test;

/** Placement decides how much memory stays optimized, and the targeted policy costs less per pass. */
class PlacementEffectTest {

    static final HostDescription HOST = HostDescription.standard(new CpuTopology(2, 2, 2), 32 * GIB);
    static final ChurnConfig CHURN = new ChurnConfig(900 * SECOND, 30 * SECOND, 240 * SECOND, 1, 3, 1.0, 0.8,
            8L << 20, 2, 30 * SECOND, 3);

    static ChurnReport run(RmpoptPolicy policy, PlacementPolicy placement) {
        Sim sim = new Sim(HOST, policy, placement);
        return new ChurnSimulation(sim.hypervisor, sim.scheduler, CHURN).run();
    }

    @Test
    void packingSnpMemoryKeepsMoreCoverageThanScattering() {
        ChurnReport scattered = run(Policies.debouncedAfterLastDestroy(), PlacementPolicy.scatter(9));
        ChurnReport packed = run(Policies.debouncedAfterLastDestroy(), PlacementPolicy.packSnpRegions());
        assertTrue(packed.meanCoverage() > scattered.meanCoverage() + 0.2,
                "packed " + packed.meanCoverage() + " vs scattered " + scattered.meanCoverage());
    }

    @Test
    void targetedPassesExecuteFewerInstructionsForTheSameChurn() {
        ChurnReport full = run(Policies.debouncedAfterLastDestroy(), PlacementPolicy.packSnpRegions());
        ChurnReport targeted = run(Policies.targetedFreedRegions(), PlacementPolicy.packSnpRegions());
        assertTrue(targeted.reoptimizationInstructions() * 2 < full.reoptimizationInstructions(),
                "targeted " + targeted.reoptimizationInstructions() + " vs full " + full.reoptimizationInstructions());
        assertTrue(targeted.meanCoverage() >= full.meanCoverage() - 0.02,
                "targeted " + targeted.meanCoverage() + " vs full " + full.meanCoverage());
    }
}
