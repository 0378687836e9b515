package dev.rmpopt.core;

import static dev.rmpopt.api.Geometry.GIB;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;

/** Small hosts on which both backends' tests run, chosen to reach every shape of the model. */
public final class TestHosts {
    private TestHosts() {
    }

    /**
     * 2 sockets x 2 cores x 2 threads, RAM to 8 GiB with the hole [3, 4) GiB, firmware pages in
     * region 0, an RMP segment at the top of each node (regions 2 and 7), HV_FIXED pages at 4 GiB
     * (the reference tests' host).
     */
    public static HostDescription small() {
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

    /**
     * 1 socket x 40 cores x 2 threads (80 logical CPUs: RMPOPT rows of several words), 6 GiB, the
     * RMP in region 5.
     */
    public static HostDescription wide() {
        return HostDescription.standard(new CpuTopology(1, 40, 2), 6 * GIB);
    }

    /**
     * 1 socket x 3 cores x 1 thread; RAM [0, 3 GiB + 6 MiB) with a 3 MiB hole in region 1, so the
     * last region is only partly covered and can never verify, region 2 can; the RMP straddles
     * the region boundary at 1 GiB.
     */
    public static HostDescription ragged() {
        CpuTopology topology = new CpuTopology(1, 3, 1);
        long top = 3 * GIB + (6L << 20);
        long rmp = Geometry.alignUp(Geometry.rmpTableBytes(top), Geometry.PAGE_2M);
        long holeStart = GIB + (512L << 20);
        return HostDescription.builder(topology)
                .ram(0, holeStart, 0)
                .ram(holeStart + (3L << 20), top, 0)
                .rmpTable(GIB - rmp / 2, GIB - rmp / 2 + rmp)
                .firmwarePages(holeStart + (3L << 20), holeStart + (3L << 20) + (12 << 10))
                .build();
    }

    /** {@link #small()} without the segmented RMP: RMPOPT_BASE cannot be written. */
    public static HostDescription unsegmented() {
        HostDescription s = small();
        return new HostDescription(s.topology(), s.ram(), s.rmpTable(), s.firmwarePages(), s.hvFixedPages(), false);
    }
}
