package dev.rmpopt.fleet;

import dev.rmpopt.api.Geometry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds host results up into each scheduler's {@link FleetSummary}, mergeably: Spark's
 * {@code treeAggregate} adds each partition's hosts and merges the partials, a plain loop adds
 * them one by one, and both give the same summary to the last bit. Sums are of whole numbers, and
 * percentiles are nearest-rank values of sorted per-host figures, so neither depends on the order.
 */
public final class FleetAccumulator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final TreeMap<String, Totals> bySchedulers = new TreeMap<>();

    /** Adds one host's result; returns this. */
    public FleetAccumulator add(HostResult result) {
        bySchedulers.computeIfAbsent(result.scheduler(), s -> new Totals()).add(result);
        return this;
    }

    /** Adds everything {@code other} holds; returns this. */
    public FleetAccumulator merge(FleetAccumulator other) {
        other.bySchedulers.forEach((s, t) -> bySchedulers.computeIfAbsent(s, x -> new Totals()).merge(t));
        return this;
    }

    /** The summary of {@code assignment}'s hosts (those added under its scheduler). */
    public FleetSummary summary(FleetAssignment assignment) {
        Totals t = bySchedulers.get(assignment.scheduler());
        if (t == null || t.hosts != assignment.plans().size()) {
            throw new IllegalStateException("scheduler " + assignment.scheduler() + ": " + (t == null ? 0 : t.hosts)
                    + " host results for " + assignment.plans().size() + " hosts");
        }
        return t.summary(assignment);
    }

    /** Coverage bins of the hosts' spread over time: the percentiles over time are exact to 1/BINS. */
    static final int BINS = 1000;

    /** One scheduler's running totals. */
    private static final class Totals implements Serializable {
        private static final long serialVersionUID = 1L;

        int hosts;
        int hostsUsed;
        int snpHosts;
        long vmsRefusedByHosts;
        long vmsLaunched;
        long writesSkipped;
        long writesChecked;
        long snpGuestWrites;
        long passes;
        long passModeledNanos;
        long passCpuNanos;
        long longestPassNanos;
        long worstInterruptionNanos;
        long rmpoptInstructions;
        long[] times;
        long[] optimizedPairs;
        long[] pairs;
        long[] optimizedGib;
        long[] assignedPages;
        /** Per sample time, hosts by coverage in {@link #BINS} bins: bounded by samples, not hosts times samples. */
        int[][] coverageBins;
        final List<double[]> figuresByHost = new ArrayList<>();

        void add(HostResult r) {
            hosts++;
            hostsUsed += r.vmsAssigned() > 0 ? 1 : 0;
            snpHosts += r.snpVmsAssigned() > 0 ? 1 : 0;
            vmsRefusedByHosts += r.vmsRefused();
            vmsLaunched += r.vmsLaunched();
            writesSkipped += r.writesSkipped();
            writesChecked += r.writesChecked();
            snpGuestWrites += r.snpGuestWrites();
            passes += r.passes();
            passModeledNanos += r.passModeledNanos();
            passCpuNanos += r.passCpuNanos();
            longestPassNanos = Math.max(longestPassNanos, r.longestPassNanos());
            worstInterruptionNanos = Math.max(worstInterruptionNanos, r.worstInterruptionNanos());
            rmpoptInstructions += r.rmpoptInstructions();
            int n = r.coverage().size();
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                t[i] = r.coverage().get(i).timeNanos();
            }
            series(t, r.host());
            for (int i = 0; i < n; i++) {
                CoveragePoint p = r.coverage().get(i);
                optimizedPairs[i] += p.optimizedPairs();
                pairs[i] += p.pairs();
                optimizedGib[i] += p.optimizedGib();
                assignedPages[i] += p.assignedPages();
                coverageBins[i][bin(p)]++;
            }
            figuresByHost.add(new double[] {r.meanCoverage(), r.endCoverage(), r.skippedShare(), r.passModeledNanos() / 1e6,
                    r.worstInterruptionNanos() / 1e3});
        }

        private void series(long[] t, String host) {
            if (times == null) {
                times = t;
                optimizedPairs = new long[t.length];
                pairs = new long[t.length];
                optimizedGib = new long[t.length];
                assignedPages = new long[t.length];
                coverageBins = new int[t.length][BINS + 1];
            } else if (!java.util.Arrays.equals(times, t)) {
                throw new IllegalStateException("host " + host + " sampled coverage at other times than the fleet's other hosts");
            }
        }

        /** A sample's bin: its coverage rounded down to 1/BINS, exactly (from the whole numbers). */
        private static int bin(CoveragePoint p) {
            return p.pairs() == 0 ? 0 : (int) (p.optimizedPairs() * BINS / p.pairs());
        }

        /** The nearest-rank {@code p}th percentile of binned hosts, as its bin's lower edge. */
        private static double binned(int[] bins, int p) {
            long n = 0;
            for (int c : bins) {
                n += c;
            }
            long rank = Math.max(1, (long) Math.ceil(p * n / 100.0));
            long seen = 0;
            for (int b = 0; b <= BINS; b++) {
                seen += bins[b];
                if (seen >= rank) {
                    return (double) b / BINS;
                }
            }
            return 0;
        }

        void merge(Totals o) {
            if (o.hosts == 0) {
                return;
            }
            hosts += o.hosts;
            hostsUsed += o.hostsUsed;
            snpHosts += o.snpHosts;
            vmsRefusedByHosts += o.vmsRefusedByHosts;
            vmsLaunched += o.vmsLaunched;
            writesSkipped += o.writesSkipped;
            writesChecked += o.writesChecked;
            snpGuestWrites += o.snpGuestWrites;
            passes += o.passes;
            passModeledNanos += o.passModeledNanos;
            passCpuNanos += o.passCpuNanos;
            longestPassNanos = Math.max(longestPassNanos, o.longestPassNanos);
            worstInterruptionNanos = Math.max(worstInterruptionNanos, o.worstInterruptionNanos);
            rmpoptInstructions += o.rmpoptInstructions;
            series(o.times, "(merged)");
            for (int i = 0; i < times.length; i++) {
                optimizedPairs[i] += o.optimizedPairs[i];
                pairs[i] += o.pairs[i];
                optimizedGib[i] += o.optimizedGib[i];
                assignedPages[i] += o.assignedPages[i];
                for (int b = 0; b <= BINS; b++) {
                    coverageBins[i][b] += o.coverageBins[i][b];
                }
            }
            figuresByHost.addAll(o.figuresByHost);
        }

        FleetSummary summary(FleetAssignment a) {
            List<FleetPoint> points = new ArrayList<>();
            double sum = 0;
            for (int i = 0; i < times.length; i++) {
                double coverage = pairs[i] == 0 ? 0 : (double) optimizedPairs[i] / pairs[i];
                sum += coverage;
                points.add(new FleetPoint(times[i], coverage, optimizedGib[i],
                        assignedPages[i] * (double) Geometry.PAGE_4K / Geometry.GIB, binned(coverageBins[i], 10),
                        binned(coverageBins[i], 50), binned(coverageBins[i], 90)));
            }
            String[] names = {"meanCoverage", "endCoverage", "skippedShare", "passModeledMillis", "worstInterruptionMicros"};
            Map<String, Percentiles> across = new LinkedHashMap<>();
            for (int f = 0; f < names.length; f++) {
                double[] column = new double[figuresByHost.size()];
                for (int h = 0; h < column.length; h++) {
                    column[h] = figuresByHost.get(h)[f];
                }
                across.put(names[f], Percentiles.of(column));
            }
            long writes = writesSkipped + writesChecked;
            return new FleetSummary(a.scheduler(), hosts, hostsUsed, snpHosts, a.vms(), a.refused().size(), vmsRefusedByHosts,
                    vmsLaunched, writesSkipped, writesChecked, writes == 0 ? 0 : (double) writesSkipped / writes, snpGuestWrites,
                    passes, passModeledNanos, passCpuNanos, longestPassNanos, worstInterruptionNanos, rmpoptInstructions,
                    times.length == 0 ? 0 : sum / times.length, points.isEmpty() ? 0 : points.get(points.size() - 1).coverage(),
                    points, across);
        }
    }
}
