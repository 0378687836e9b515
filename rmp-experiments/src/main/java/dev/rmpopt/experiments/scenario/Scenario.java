package dev.rmpopt.experiments.scenario;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.experiments.trace.HostTrace;
import dev.rmpopt.experiments.trace.TraceFormat;
import dev.rmpopt.experiments.trace.TraceRules;
import dev.rmpopt.experiments.trace.TraceVm;
import dev.rmpopt.kvm.Arrivals;
import dev.rmpopt.kvm.ChurnWorkload;
import dev.rmpopt.kvm.Distribution;
import dev.rmpopt.kvm.GuestBehaviour;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A validated scenario: everything one experiment runs, each (policy, placement) cell once per
 * seed. Made by {@link ScenarioLoader}; the module README documents the file it is read from.
 *
 * @param schema        the file's schema version (1)
 * @param name          the scenario's name
 * @param description   what it is for
 * @param source        where it was read from ({@code built-in default} or a path)
 * @param sha256        the SHA-256 of the file's bytes, hex (of the merged document for the built-in default with options)
 * @param host          the host
 * @param backend       the RMP backend, by name
 * @param durationNanos simulated churn after boot; 0 boots only
 * @param sampleNanos   time between coverage samples
 * @param seeds         the seeds, each a run of every cell
 * @param policies      the policies to compare
 * @param placements    the frame placements to compare
 * @param workload      what the VMs do
 * @param outputs       where and how results go
 */
public record Scenario(int schema, String name, String description, String source, String sha256, HostSpec host,
                       String backend, long durationNanos, long sampleNanos, List<Long> seeds, List<PolicySpec> policies,
                       List<String> placements, WorkloadSpec workload, OutputSpec outputs) {

    /** The schema version this build reads. */
    public static final int SCHEMA_VERSION = 1;

    /** Copies the lists. */
    public Scenario {
        seeds = List.copyOf(seeds);
        policies = List.copyOf(policies);
        placements = List.copyOf(placements);
    }

    /** Runs in the experiment: seeds x policies x placements. */
    public int runCount() {
        return seeds.size() * policies.size() * placements.size();
    }

    /**
     * The host.
     *
     * @param preset    the preset it started from, or {@code custom}
     * @param topology  its CPUs
     * @param memoryGib the top of RAM, GiB
     */
    public record HostSpec(String preset, CpuTopology topology, long memoryGib) {
        /** The host as the model builds it (the MMIO hole carved out). */
        public HostDescription description() {
            return HostDescription.standard(topology, memoryGib * Geometry.GIB);
        }
    }

    /**
     * What the VMs do: drawn VMs ({@code generated}) or a trace's, and their behaviour.
     *
     * @param generated           the drawn arrivals, when not a trace
     * @param trace               the trace, when one
     * @param guests              what every guest does
     * @param hostWritesPerSecond the host's own writes per second
     */
    public record WorkloadSpec(Optional<Arrivals.Generated> generated, Optional<TraceSpec> trace, GuestBehaviour guests,
                               int hostWritesPerSecond) {
    }

    /**
     * A trace as the workload.
     *
     * @param file   the trace file
     * @param format its format
     * @param vms    its VMs, read when the scenario was loaded
     * @param rules  the rules making it one host's; the seed in them is replaced by each run's
     */
    public record TraceSpec(Path file, TraceFormat format, List<TraceVm> vms, TraceRules rules) {
        /** Copies. */
        public TraceSpec {
            vms = List.copyOf(vms);
        }

        /** What the host sees under {@code seed}. */
        public HostTrace forSeed(long seed, HostDescription host, long legacyPageBytes) {
            TraceRules r = new TraceRules(rules.snpShare(), rules.snpCategories(), rules.snpSubscriptions(), seed,
                    rules.startSeconds(), rules.endSeconds(), rules.timeScale(), rules.host(), rules.fill());
            return HostTrace.of(vms, r, host.ramBytes(), host.topology().cpuCount(), legacyPageBytes);
        }
    }

    /**
     * Where and how results go.
     *
     * @param dir    the output directory
     * @param format the summary's format: text, json or csv
     * @param table  whether to print the debugfs table as well as write it
     */
    public record OutputSpec(Path dir, String format, boolean table) {
    }

    /** The churn workload of one run under {@code seed}. */
    public ChurnWorkload workload(long seed) {
        long duration = Math.max(1, durationNanos);
        if (workload.trace().isPresent()) {
            HostTrace trace = workload.trace().get().forSeed(seed, host.description(), workload.guests().legacyBacking().bytes());
            return new ChurnWorkload(duration, new Arrivals.Scripted(trace.events()), workload.guests(),
                    workload.hostWritesPerSecond(), sampleNanos, seed);
        }
        return new ChurnWorkload(duration, workload.generated().orElseThrow(), workload.guests(), workload.hostWritesPerSecond(),
                sampleNanos, seed);
    }

    /** One line saying what the churn is, for the summary's head. */
    public String describeWorkload(long seed) {
        String minutes = durationNanos % 60_000_000_000L == 0 ? durationNanos / 60_000_000_000L + " min"
                : String.format(Locale.ROOT, "%.1f s", durationNanos / 1e9);
        if (workload.trace().isPresent()) {
            TraceSpec t = workload.trace().get();
            HostTrace h = t.forSeed(seed, host.description(), workload.guests().legacyBacking().bytes());
            return String.format(Locale.ROOT, "Churn: %s simulated, trace %s (%s): host %d of %d first-fit, %d VMs of %d in the window,"
                            + " %d SNP, %d too large; seed %d", minutes, t.file().getFileName(), t.format().fileName(),
                    t.rules().host(), h.fleetHosts(), h.onHost(), h.inWindow(), h.snpOnHost(), h.tooLarge(), seed);
        }
        Arrivals.Generated g = workload.generated().orElseThrow();
        return String.format(Locale.ROOT, "Churn: %s simulated, a VM every %s living %s on average, %s GiB, %.0f%% SNP, seed %d",
                minutes, seconds(g.interarrivalNanos()), seconds(g.lifetimeNanos()), sizes(g.vmGib()), 100 * g.snpFraction(), seed);
    }

    private static String seconds(Distribution d) {
        double s = d.average() / 1e9;
        String text = s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s);
        return text + " s";
    }

    private static String sizes(Distribution d) {
        if (d instanceof Distribution.Uniform u) {
            return u.min() + "-" + u.max();
        }
        if (d instanceof Distribution.Fixed f) {
            return String.valueOf(f.value());
        }
        if (d instanceof Distribution.Weighted w) {
            return w.values().stream().map(String::valueOf).reduce((a, b) -> a + "/" + b).orElse("");
        }
        return String.format(Locale.ROOT, "%.0f on average", d.average());
    }
}
