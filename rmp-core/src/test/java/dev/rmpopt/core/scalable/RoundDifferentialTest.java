package dev.rmpopt.core.scalable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuMask;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResults;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scalable backend's round ({@code rmpoptOnCpus} in O(CPUs / 64)) against the SPI's default
 * loop of single RMPOPTs, which the reference backend uses: random operations of every kind (as in
 * {@link DifferentialTest}) interleaved with random rounds (empty, one CPU, every CPU, the primary
 * threads, random masks, CPUs that do not exist, negative addresses, both functions, regions in and
 * out of RAM and windows), requiring identical results, exceptions and events (the round's event
 * delivered per CPU by {@code onRmpoptRound}'s default) after every operation, and identical state
 * at the end.
 *
 * <p>Seeded: the seed is printed and in every message; {@code -Drmpopt.seed=N} replays.
 */
class RoundDifferentialTest {
    static final long SEED = Long.getLong("rmpopt.seed", 20261202L);
    static final int SEQUENCES = Integer.getInteger("rmpopt.differential.sequences", 4);
    static final int OPERATIONS = 300;
    static final Set<String> SEEN = new HashSet<>();

    static {
        System.out.println("RoundDifferentialTest seed " + SEED + " (-Drmpopt.seed=" + SEED + " replays)");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> configurations() {
        // plus 2 x 64 cores x 2 threads: each thread's CPUs start on a word boundary (the aligned paths)
        Supplier<HostDescription> aligned = () -> HostDescription.standard(new dev.rmpopt.api.CpuTopology(2, 64, 2), 4 * Geometry.GIB);
        return java.util.stream.Stream.concat(DifferentialTest.configurations(), java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("aligned, defaults", aligned, ModelOptions.DEFAULTS),
                org.junit.jupiter.params.provider.Arguments.of("aligned, per-CPU", aligned,
                        ModelOptions.DEFAULTS.withTableScope(dev.rmpopt.api.RmpoptTableScope.PER_LOGICAL_CPU))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void roundsAnswerAsTheDefaultLoop(String name, Supplier<HostDescription> hosts, ModelOptions options) {
        HostDescription host = hosts.get();
        long configSeed = SEED ^ name.hashCode();
        for (int sequence = 0; sequence < SEQUENCES; sequence++) {
            run(host, options, configSeed + sequence, name);
        }
    }

    @AfterAll
    static void theRoundsReachedEveryOutcome() {
        for (String w : List.of("round carry", "round clear", "round ud", "round mixed", "round exception",
                "round REPORT_STATUS carry", "round empty")) {
            assertTrue(SEEN.contains(w), () -> "no round reached " + w + "; seen " + new TreeSet<>(SEEN));
        }
    }

    private static void run(HostDescription host, ModelOptions options, long seed, String name) {
        Random random = new Random(seed);
        OperationGenerator generator = new OperationGenerator(host, random);
        Lockstep both = new Lockstep(host, options, "seed " + seed + " (-Drmpopt.seed=" + SEED + "), " + name, 10);
        List<Operation> operations = new ArrayList<>(generator.boot());
        for (int i = 0; i < OPERATIONS; i++) {
            operations.add(random.nextDouble() < 0.4 ? round(host, generator, random) : generator.next());
        }
        for (int i = 0; i < operations.size(); i++) {
            Operation op = operations.get(i);
            Object expected = both.apply(i, op).result();
            if (op.text().startsWith("round")) {
                SEEN.add(kind(expected, op.text()));
                if (expected instanceof RmpoptResults r && op.text().contains("REPORT_STATUS") && r.carryCount() > 0) {
                    SEEN.add("round REPORT_STATUS carry");
                }
            }
        }
        assertEquals(DifferentialTest.snapshot(both.reference(), generator.observedPages()),
                DifferentialTest.snapshot(both.scalable(), generator.observedPages()), () -> "state differs at the end, seed " + seed);
    }

    private static String kind(Object result, String text) {
        if (!(result instanceof RmpoptResults r)) {
            return "round exception";
        }
        int n = r.cpus().count();
        if (n == 0) {
            return "round empty";
        }
        int carry = r.carryCount();
        int ud = r.invalidOpcodeCount();
        if (carry == n) {
            return "round carry";
        }
        if (ud == n) {
            return "round ud";
        }
        return carry == 0 && ud == 0 ? "round clear" : "round mixed";
    }

    /** A random round: its mask, address and function. */
    static Operation round(HostDescription host, OperationGenerator generator, Random random) {
        int cpus = host.topology().cpuCount();
        CpuMask mask;
        double p = random.nextDouble();
        if (p < 0.05) {
            mask = CpuMask.EMPTY;
        } else if (p < 0.15) {
            mask = CpuMask.of(random.nextInt(cpus));
        } else if (p < 0.40) {
            mask = CpuMask.range(0, cpus);
        } else if (p < 0.55) {
            mask = CpuMask.range(0, host.topology().coreCount());
        } else if (p < 0.58) {
            mask = CpuMask.of(0, cpus); // a CPU that does not exist
        } else {
            double density = random.nextDouble();
            int[] chosen = java.util.stream.IntStream.range(0, cpus).filter(c -> random.nextDouble() < density).toArray();
            mask = CpuMask.of(chosen);
        }
        long spa = generator.regionSpa();
        RmpoptFunction f = random.nextDouble() < 0.7 ? RmpoptFunction.VERIFY_AND_REPORT_STATUS : RmpoptFunction.REPORT_STATUS;
        CpuMask m = mask;
        return new Operation("round(" + m + ", " + Geometry.hex(spa) + ", " + f + ")", x -> x.rmpoptOnCpus(m, spa, f));
    }
}
