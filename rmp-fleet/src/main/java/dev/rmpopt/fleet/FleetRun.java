package dev.rmpopt.fleet;

import java.util.List;

/**
 * A fleet that ran to its end: each scheduler's summary and every host's result, in task order.
 *
 * @param summaries one per scheduler, in the description's order
 * @param hosts     every host's result without its series ({@link HostResult#withoutSeries()}), in task order
 * @param runner    what ran the hosts, for reports ({@code spark local[2]}, {@code threads 2})
 * @param seconds   wall-clock time of the simulations and their aggregation (not of writing outputs)
 */
public record FleetRun(List<FleetSummary> summaries, List<HostResult> hosts, String runner, double seconds) {

    /** Copies the lists. */
    public FleetRun {
        summaries = List.copyOf(summaries);
        hosts = List.copyOf(hosts);
    }

    /** The summaries of {@code plan}'s schedulers from {@code accumulator}. */
    static List<FleetSummary> summaries(FleetPlan plan, FleetAccumulator accumulator) {
        return plan.assignments().stream().map(accumulator::summary).toList();
    }
}
