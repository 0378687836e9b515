package dev.rmpopt.fleet;

import java.util.List;

/**
 * Reads one trace format into the fleet's VMs ({@link FleetVm}), applying the trace's SNP rule,
 * time scale and window; {@link TraceSources} finds one by format name.
 */
public interface TraceSource {

    /** The format's name in a fleet file's {@code workload.trace.format}. */
    String format();

    /**
     * Every VM of {@code trace} that arrives inside {@code [0, durationNanos)} of simulated time,
     * in arrival order; {@code seed} drives the SNP picks. A bad row is a {@link FleetFileException}
     * naming the file, line and column.
     */
    List<FleetVm> read(FleetWorkload.Trace trace, long durationNanos, long seed) throws FleetFileException;
}
