package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RmpoptCostModel;
import dev.rmpopt.kernel.RmpoptPolicy;
import dev.rmpopt.telemetry.CoverageSample;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage kept from the events (the telemetry's shadow of the tables, what a sample reads) equals,
 * exactly and on every sample of a churn, what the REPORT_STATUS sweep (debugfs's way) finds: both
 * backends, both table scopes, every policy shape (v1 and v2 rounds without a leader, v3+ with one),
 * both placements. 160 CPUs on 80 cores, so rounds and core sets span several words.
 */
class CoverageFromEventsTest {

    static final HostDescription HOST = HostDescription.standard(new CpuTopology(2, 40, 2), 24 * GIB);
    static final ChurnConfig CHURN = new ChurnConfig(600 * SECOND, 20 * SECOND, 120 * SECOND, 1, 3, 0.7, 0.6,
            8L << 20, 5, 30 * SECOND, 17);

    static Stream<Arguments> runs() {
        List<Supplier<RmpoptPolicy>> policies = List.of(Policies::v1, Policies::v2, Policies::debouncedAfterLastDestroy,
                Policies::targetedFreedRegions);
        return Stream.of("scalable", "reference").flatMap(backend -> Stream.of(RmpoptTableScope.values()).flatMap(scope ->
                policies.stream().flatMap(p -> Stream.of("pack", "scatter").map(place ->
                        Arguments.of(backend + ", " + scope + ", " + p.get().name() + ", " + place, backend, scope, p, place)))))
                .filter(a -> a.get()[1].equals("scalable") || a.get()[3] == policies.get(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void everySampleEqualsTheSweep(String name, String backend, RmpoptTableScope scope, Supplier<RmpoptPolicy> policy,
                                   String placement) {
        PlacementPolicy place = placement.equals("pack") ? PlacementPolicy.packSnpRegions() : PlacementPolicy.scatter(7);
        Sim sim = new Sim(HOST, backend, ModelOptions.DEFAULTS.withTableScope(scope), UnaryOperator.identity(), policy.get(),
                place, RmpoptCostModel.AMD_PUBLISHED);
        int[] samples = {0};
        int[] optimizedSeen = {0};
        new ChurnSimulation(sim.hypervisor, sim.scheduler, CHURN, t -> {
            CoverageSample sample = sim.sampler.sample(t);
            int[] sweep = sim.sampler.sweep();
            assertArrayEquals(sweep, sample.optimizedCores(), () -> name + ": sample " + samples[0] + " at " + t + " ns");
            samples[0]++;
            optimizedSeen[0] += sample.regionsOptimizedOnAtLeast(1);
        }).run();
        assertTrue(samples[0] >= 20, "samples " + samples[0]);
        assertTrue(optimizedSeen[0] > 0, "some region was optimized at some sample");
    }
}
