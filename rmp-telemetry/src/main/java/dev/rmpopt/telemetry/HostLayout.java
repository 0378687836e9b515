package dev.rmpopt.telemetry;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PhysRange;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a report needs to know of the host (model §2 and §3).
 *
 * @param summary                  the host for people
 * @param sockets                  sockets
 * @param cores                    physical cores
 * @param threadsPerCore           SMT threads per core
 * @param cpus                     logical CPUs
 * @param ramBytes                 RAM, holes excluded
 * @param regionCount              1 GiB regions from 0 to the top of RAM
 * @param neverOptimizableRegions  regions holding RMP or firmware pages, which are assigned
 *                                 (FIRMWARE) from SNP_INIT on, so never optimize (model §3)
 * @param passRange                the regions the kernel's passes cover, or null if not known
 */
public record HostLayout(String summary, int sockets, int cores, int threadsPerCore, int cpus, long ramBytes,
                         long regionCount, List<Long> neverOptimizableRegions, RegionSpan passRange) {

    /** Copies the list. */
    public HostLayout {
        neverOptimizableRegions = List.copyOf(neverOptimizableRegions);
    }

    /** The layout of {@code host}; {@code passRange} may be null. */
    public static HostLayout of(HostDescription host, PhysRange passRange) {
        CpuTopology t = host.topology();
        TreeSet<Long> reserved = new TreeSet<>();
        Stream.concat(host.rmpTable().stream(), host.firmwarePages().stream()).forEach(range -> {
            for (long r = Geometry.regionIndex(range.start()); r <= Geometry.regionIndex(range.end() - 1); r++) {
                reserved.add(r);
            }
        });
        RegionSpan span = passRange == null ? null
                : new RegionSpan(Geometry.regionIndex(passRange.start()),
                        Geometry.regionIndex(Geometry.alignUp(passRange.end(), Geometry.REGION_1G)));
        return new HostLayout(host.summary(), t.sockets(), t.coreCount(), t.threadsPerCore(), t.cpuCount(),
                host.ramBytes(), host.regionCount(), List.copyOf(reserved), span);
    }

    /** The regions coverage is counted over: {@link #passRange}, or every region when it is not known. */
    public RegionSpan coverageSpan() {
        return passRange != null ? passRange : new RegionSpan(0, regionCount);
    }
}
