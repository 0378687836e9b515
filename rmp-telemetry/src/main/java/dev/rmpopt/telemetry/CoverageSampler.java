package dev.rmpopt.telemetry;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.SnpMachine;
import java.util.Objects;

/**
 * Takes {@link CoverageSample}s for the report's heat map and its coverage over time (model §4 and §7):
 * for every 1 GiB region of the host, on how many physical cores it is optimized, and how many of
 * its pages are assigned ({@link SnpMachine#assignedPages}, the machine's own count).
 *
 * <p>Optimized cores are what REPORT_STATUS on the primary thread of every core would answer (the
 * tables are per core, model §4; with the per-logical-CPU table option, the primary threads' own
 * tables). A sample reads them from the telemetry's shadow of the tables, kept from the events the
 * backend reports (a VERIFY with CF=1, a region cleared on every table, all tables cleared, a core's
 * table reset by WRMSR): O(regions) per sample, nothing executed on the machine, so observing
 * costs in proportion to what changed rather than regions x cores instructions. The shadow is exact
 * when the telemetry listened from the machine's creation and the events reached it in the order
 * they took effect, as when one thread drives the machine (the simulation: the kernel's passes are
 * IPI rounds on its thread).
 *
 * <p>{@link #sweep} is the other way, what debugfs does: REPORT_STATUS on the primary thread of
 * every core for every region (about a million instructions on a 2 TiB, 512-core host), run inside
 * {@link RmpTelemetry#observe} so they count as observer REPORTs; a core with no RMPOPT_BASE
 * enabled (#UD) counts as not optimized. Tests compare the two on every sample of a churn.
 */
public final class CoverageSampler {

    private final SnpMachine machine;
    private final RmpTelemetry telemetry;
    private final int regions;
    private final int[] primaryThreads;
    private final boolean perCore;

    /** A sampler of {@code machine} that records into {@code telemetry}, which must count the same host. */
    public CoverageSampler(SnpMachine machine, RmpTelemetry telemetry) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        if (!machine.host().equals(telemetry.host())) {
            throw new IllegalArgumentException("the telemetry counts another host than the machine's");
        }
        this.regions = Math.toIntExact(machine.host().regionCount());
        CpuTopology topology = machine.host().topology();
        this.primaryThreads = topology.primaryThreads();
        this.perCore = machine.options().tableScope() == RmpoptTableScope.PER_CORE;
    }

    /**
     * Samples every region now, records the sample in the telemetry and returns it. Fails with
     * {@link IllegalArgumentException}, recording nothing, if {@code timeNanos} is before the
     * previous sample's.
     */
    public CoverageSample sample(long timeNanos) {
        CoverageSample previous = telemetry.latestCoverage();
        if (previous != null && previous.timeNanos() > timeNanos) {
            throw new IllegalArgumentException("coverage samples must come in time order: "
                    + timeNanos + " is before " + previous.timeNanos());
        }
        long[] assigned = new long[regions];
        for (int r = 0; r < regions; r++) {
            assigned[r] = machine.assignedPages(r);
        }
        int[] optimized = telemetry.optimizedCoresFromEvents(perCore);
        CoverageSample sample = new CoverageSample(timeNanos, optimized, assigned);
        telemetry.recordCoverage(sample);
        return sample;
    }

    /**
     * Per region, the cores whose REPORT_STATUS on their primary thread returns CF=1 now, by running
     * those instructions (as observer REPORTs): regions x cores of them. Records nothing.
     */
    public int[] sweep() {
        return telemetry.observe(this::optimizedCores);
    }

    private int[] optimizedCores() {
        int[] optimized = new int[regions];
        for (int r = 0; r < regions; r++) {
            long base = Geometry.regionBase(r);
            int count = 0;
            for (int cpu : primaryThreads) {
                if (machine.rmpopt(cpu, base, RmpoptFunction.REPORT_STATUS).carry()) {
                    count++;
                }
            }
            optimized[r] = count;
        }
        return optimized;
    }
}
