package dev.rmpopt.telemetry;

/**
 * The optimization clears of one {@link dev.rmpopt.api.ClearCause} (model §4): each event cleared
 * one region's bit on one or more tables.
 *
 * @param events         clear events, by region (total = sum of regions plus beyond RAM; no core split)
 * @param tablesCleared  tables whose bit the events cleared, added up
 */
public record ClearCounts(CounterSeries events, long tablesCleared) {
}
