package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.TIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RmpoptCostModel;
import dev.rmpopt.telemetry.TelemetrySnapshot;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The memory target: a 24 TiB host with 1024 CPUs (2 sockets x 256 cores x 2 threads) runs 60
 * simulated minutes of the default churn (seed 42), telemetry and coverage samples included, in a
 * 512 MiB heap. Not in the default build; {@code mvn -B verify -Phuge-host-churn -pl rmp-kvm-adapter -am
 * -Dtest=HugeHostChurnTest -Dsurefire.failIfNoSpecifiedTests=false} runs it in its own JVM with
 * {@code -Xmx512m}, which is the assertion: an OutOfMemoryError fails it. It prints the heap in use.
 */
class HugeHostChurnTest {

    @Test
    void aTwentyFourTebibyteHostChurnsAnHourIn512MiB() {
        long max = Runtime.getRuntime().maxMemory();
        // a pattern such as -Dtest=dev.rmpopt.kvm.** may pick it up in the default 2 GiB JVM: it proves nothing there
        Assumptions.assumeTrue(max <= 544L << 20, "run with -Xmx512m (the profile does): max heap " + (max >> 20) + " MiB");
        HostDescription host = HostDescription.standard(new CpuTopology(2, 256, 2), 24 * TIB);
        Sim sim = new Sim(host, "scalable", UnaryOperator.identity(), Policies.debouncedAfterLastDestroy(),
                PlacementPolicy.packSnpRegions(), RmpoptCostModel.AMD_PUBLISHED);
        long start = System.nanoTime();
        ChurnReport report = new ChurnSimulation(sim.hypervisor, sim.scheduler, ChurnConfig.defaults(), sim.sampler::sample).run();
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        TelemetrySnapshot t = sim.telemetry.snapshot(sim.scheduler.now());
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        System.out.printf("HugeHostChurnTest: 24 TiB, 1024 CPUs, 60 simulated minutes: %d VMs launched, %d passes, "
                        + "%d coverage samples; heap in use after GC %d MiB of %d MiB; wall %d ms%n",
                report.vmsLaunched(), t.passes().size(), t.coverage().size(), used >> 20, max >> 20, wallMillis);
        assertTrue(report.vmsLaunched() > 20, "launched " + report.vmsLaunched());
        assertEquals(24 * 1024, t.latestCoverage().optimizedCores().length);
        assertTrue(t.coverage().size() > 3600 * SECOND / ChurnConfig.defaults().sampleNanos(), "a sample every 30 s");
    }
}
