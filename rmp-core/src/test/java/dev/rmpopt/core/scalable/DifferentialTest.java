package dev.rmpopt.core.scalable;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rmpopt.api.ClearPolicy;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.core.TestHosts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scalable backend against the reference: the same random operation sequences (every SPI call,
 * bad input included) on both, requiring identical results, exceptions and events after every
 * operation, and identical observable state (RMPREAD of every 2 MiB base and of every pool page,
 * REPORT_STATUS of every CPU and region, every MSR) every few operations and at the end.
 *
 * <p>Seeded: {@code -Drmpopt.seed=N} replays a failure (the seed is in the message);
 * {@code -Drmpopt.differential.sequences=N} runs more sequences per configuration.
 */
class DifferentialTest {
    static final long SEED = Long.getLong("rmpopt.seed", 20261201L);
    static final int SEQUENCES = Integer.getInteger("rmpopt.differential.sequences", 5);
    static final int OPERATIONS = 400;
    static final int SNAPSHOT_EVERY = 100;
    static final Set<String> SEEN = new HashSet<>();

    static Stream<Arguments> configurations() {
        ModelOptions d = ModelOptions.DEFAULTS;
        return Stream.of(
                Arguments.of("small, defaults", (Supplier<HostDescription>) TestHosts::small, d),
                Arguments.of("small, assign-only, SnpEn at power-on", (Supplier<HostDescription>) TestHosts::small,
                        d.withClearPolicy(ClearPolicy.ASSIGN_ONLY).withSnpEnabledAtPowerOn(true)),
                Arguments.of("small, per-CPU, 2 GiB window", (Supplier<HostDescription>) TestHosts::small,
                        d.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU).withWindowBytes(2 * Geometry.GIB)),
                Arguments.of("small, per-CPU, assign-only, 1 GiB window", (Supplier<HostDescription>) TestHosts::small,
                        d.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU).withClearPolicy(ClearPolicy.ASSIGN_ONLY).withWindowBytes(Geometry.GIB)),
                Arguments.of("wide, per-CPU, 3 GiB window", (Supplier<HostDescription>) TestHosts::wide,
                        d.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU).withWindowBytes(3 * Geometry.GIB)),
                Arguments.of("wide, defaults, SnpEn at power-on", (Supplier<HostDescription>) TestHosts::wide, d.withSnpEnabledAtPowerOn(true)),
                Arguments.of("ragged, 2 GiB window", (Supplier<HostDescription>) TestHosts::ragged, d.withWindowBytes(2 * Geometry.GIB)),
                Arguments.of("unsegmented", (Supplier<HostDescription>) TestHosts::unsegmented, d));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void sameAnswersAsTheReference(String name, Supplier<HostDescription> hosts, ModelOptions options) {
        HostDescription host = hosts.get();
        long configSeed = SEED ^ name.hashCode();
        for (int sequence = 0; sequence < SEQUENCES; sequence++) {
            runSequence(host, options, configSeed + sequence, name, SEEN);
        }
    }

    /** The sequences must reach the interesting paths, or agreeing proves little. */
    @AfterAll
    static void theSequencesReachedEveryInterestingPath() {
        for (String w : List.of("rmpUpdate SUCCESS", "rmpUpdate FAIL_OVERLAP", "rmpUpdate FAIL_PERMISSION",
                "rmpUpdate FAIL_INPUT", "psmash SUCCESS", "psmash FAIL_NOT_EXPANDABLE", "pvalidate SUCCESS",
                "pvalidate FAIL_SIZEMISMATCH", "pvalidate NPF", "pvalidate NPF_SIZEM", "launchStart SUCCESS", "launchUpdate SUCCESS", "decommission SUCCESS",
                "pageReclaim SUCCESS", "snpShutdown SUCCESS", "wrmsr GeneralProtection", "rmpopt UD", "rmpopt CARRY_SET",
                "rmpopt CARRY_CLEAR", "access SKIPPED", "access CHECKED", "access HostPageFault", "access NestedPageFault",
                "access Unchecked", "cleared", "exception")) {
            assertTrue(SEEN.stream().anyMatch(x -> x.startsWith(w)), () -> "no sequence reached " + w + "; seen " + new TreeSet<>(SEEN));
        }
    }

    private static void runSequence(HostDescription host, ModelOptions options, long seed, String name, Set<String> seen) {
        Random random = new Random(seed);
        OperationGenerator generator = new OperationGenerator(host, random);
        Lockstep both = new Lockstep(host, options, "seed " + seed + " (-Drmpopt.seed=" + SEED + "), " + name, 12);
        List<Operation> operations = new ArrayList<>();
        if (random.nextDouble() < 0.85) {
            operations.addAll(generator.boot());
        }
        for (int i = 0; i < OPERATIONS; i++) {
            operations.add(generator.next());
        }
        List<Long> observed = generator.observedPages();
        for (int i = 0; i < operations.size(); i++) {
            Operation op = operations.get(i);
            Lockstep.Applied applied = both.apply(i, op);
            seen.add(outcome(op, applied.result()));
            applied.events().stream().filter(e -> e.startsWith("cleared")).findAny().ifPresent(e -> seen.add("cleared"));
            if (i % SNAPSHOT_EVERY == SNAPSHOT_EVERY - 1 || i == operations.size() - 1) {
                List<Object> a = snapshot(both.reference(), observed);
                List<Object> b = snapshot(both.scalable(), observed);
                if (!a.equals(b)) {
                    for (int k = 0; k < a.size(); k++) {
                        if (!a.get(k).equals(b.get(k))) {
                            fail("state differs at item " + k + " after " + both.where() + "\nreference: " + a.get(k) + "\nscalable:  " + b.get(k));
                        }
                    }
                }
                both.dropEvents();
            }
        }
    }

    /** The kind of call and of result, for the coverage check: "psmash SUCCESS", "access SKIPPED". */
    private static String outcome(Operation op, Object result) {
        String call = op.text().substring(0, op.text().indexOf('('));
        if (result instanceof String text && text.contains("Exception")) {
            return "exception";
        }
        String value = String.valueOf(result);
        if (result instanceof dev.rmpopt.api.RmpoptResult r) {
            value = r == dev.rmpopt.api.RmpoptResult.UD ? "UD" : r.carry() ? "CARRY_SET" : "CARRY_CLEAR";
        } else if (result instanceof dev.rmpopt.api.PvalidateResult r) {
            value = r instanceof dev.rmpopt.api.PvalidateResult.Returned ret ? ret.code().toString()
                    : ((dev.rmpopt.api.PvalidateResult.Faulted) r).sizeMismatch() ? "NPF_SIZEM" : "NPF";
        } else if (result != null && result.getClass().isRecord()) {
            value = result.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT).equals("SKIPPED") ? "SKIPPED"
                    : result.getClass().getSimpleName();
        }
        return call + " " + (value.equals("Skipped") ? "SKIPPED" : value.equals("Checked") ? "CHECKED" : value);
    }

    /** Everything observable: entries of the observed pages, every MSR and every table bit, the flags. */
    static List<Object> snapshot(SnpMachine m, List<Long> pages) {
        List<Object> s = new ArrayList<>();
        for (long spa : pages) {
            s.add("rmpRead " + Geometry.hex(spa) + " " + new Operation("", x -> x.rmpRead(spa)).apply(m));
        }
        int cpus = m.host().topology().cpuCount();
        long regions = m.host().regionCount() + 1;
        for (int cpu = 0; cpu < cpus; cpu++) {
            s.add("rdmsr " + cpu + " " + m.rdmsrRmpoptBase(cpu));
            for (long region = 0; region < regions; region++) {
                s.add("report " + cpu + " " + region + " " + m.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS));
            }
        }
        s.add("initialized " + m.isSnpInitialized());
        s.add("checks " + m.rmpChecksEnabled());
        return s;
    }
}
