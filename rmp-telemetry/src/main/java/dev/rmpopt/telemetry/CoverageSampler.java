package dev.rmpopt.telemetry;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.SnpMachine;
import java.util.Objects;

/**
 * Takes {@link CoverageSample}s for the report's heat map and its coverage over time (model §4 and §7):
 * for every 1 GiB region of the host, on how many physical cores it is optimized, and how many of
 * its pages are assigned ({@link SnpMachine#assignedPages}, the machine's own count).
 *
 * <p>Optimized cores are counted with REPORT_STATUS on the primary thread of every core, which is
 * what the hardware offers (the tables are per core, model §4; with the per-logical-CPU table option
 * this counts the primary threads' tables). The instructions run inside
 * {@link RmpTelemetry#observe}, so they are counted as observer REPORTs and do not disturb the
 * workload's figures. A region whose core has no RMPOPT_BASE enabled (#UD) counts as not optimized
 * there. Cost: regions x cores instructions per sample (about a million on a 2 TiB, 512-core host).
 *
 * <p>The alternative, a shadow of the tables kept from VERIFY and clear events, was rejected: events
 * from different CPUs reach the listener in no guaranteed order, so a VERIFY that won before a
 * concurrent clear could be applied after it and show a region optimized that is not.
 */
public final class CoverageSampler {

    private final SnpMachine machine;
    private final RmpTelemetry telemetry;
    private final int regions;
    private final int[] primaryThreads;

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
        int[] optimized = telemetry.observe(this::optimizedCores);
        CoverageSample sample = new CoverageSample(timeNanos, optimized, assigned);
        telemetry.recordCoverage(sample);
        return sample;
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
