package dev.rmpopt.core.reference;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;

/** Small hosts for tests. */
final class Hosts {
    static final long GIB = Geometry.GIB;

    private Hosts() {
    }

    /**
     * 2 sockets x 2 cores x 2 threads (CPUs 0-7; cores 0-3; CPU c and c+4 are siblings), RAM to
     * 8 GiB with the hole [3, 4) GiB, firmware pages at [1, 2) MiB (region 0), an RMP segment at the
     * top of each socket's node (regions 2 and 7), HV_FIXED pages at [4 GiB, 4 GiB + 64 KiB).
     * Regions 3 (the hole), 4 (HV_FIXED only), 5 and 6 can optimize.
     */
    static HostDescription small() {
        CpuTopology topology = new CpuTopology(2, 2, 2);
        HostDescription standard = HostDescription.standard(topology, 8 * GIB);
        return HostDescription.builder(topology)
                .ram(0, 3 * GIB, 0).ram(4 * GIB, 8 * GIB, 1)
                .rmpTable(standard.rmpTable().get(0).start(), standard.rmpTable().get(0).end())
                .rmpTable(standard.rmpTable().get(1).start(), standard.rmpTable().get(1).end())
                .firmwarePages(1L << 20, 2L << 20)
                .hvFixedPages(4 * GIB, 4 * GIB + (64 << 10))
                .build();
    }
}
