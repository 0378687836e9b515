package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RmpoptPolicy;
import org.junit.jupiter.api.Test;

/** Placement decides how much memory stays optimized, and the targeted policy costs less per pass. */
class PlacementEffectTest {

    static final HostDescription HOST = HostDescription.standard(new CpuTopology(2, 2, 2), 32 * GIB);
    static final ChurnConfig CHURN = new ChurnConfig(900 * SECOND, 30 * SECOND, 240 * SECOND, 1, 3, 1.0, 0.8,
            8L << 20, 2, 30 * SECOND, 3);

    static Sim run(RmpoptPolicy policy, PlacementPolicy placement) {
        Sim sim = new Sim(HOST, policy, placement);
        sim.churn(CHURN);
        return sim;
    }

    static long reoptimizationInstructions(Sim sim) {
        return sim.telemetry.snapshot(sim.scheduler.now()).passesAfterBoot().stream()
                .mapToLong(PassRecord::rmpoptInstructions).sum();
    }

    @Test
    void packingSnpMemoryKeepsMoreCoverageThanScattering() {
        Sim scattered = run(Policies.debouncedAfterLastDestroy(), PlacementPolicy.scatter(9));
        Sim packed = run(Policies.debouncedAfterLastDestroy(), PlacementPolicy.packSnpRegions());
        assertTrue(packed.meanCoverage() > scattered.meanCoverage() + 0.2,
                "packed " + packed.meanCoverage() + " vs scattered " + scattered.meanCoverage());
    }

    @Test
    void targetedPassesExecuteFewerInstructionsForTheSameChurn() {
        Sim full = run(Policies.debouncedAfterLastDestroy(), PlacementPolicy.packSnpRegions());
        Sim targeted = run(Policies.targetedFreedRegions(), PlacementPolicy.packSnpRegions());
        assertTrue(reoptimizationInstructions(targeted) * 2 < reoptimizationInstructions(full),
                "targeted " + reoptimizationInstructions(targeted) + " vs full " + reoptimizationInstructions(full));
        assertTrue(targeted.meanCoverage() >= full.meanCoverage() - 0.02,
                "targeted " + targeted.meanCoverage() + " vs full " + full.meanCoverage());
    }
}
