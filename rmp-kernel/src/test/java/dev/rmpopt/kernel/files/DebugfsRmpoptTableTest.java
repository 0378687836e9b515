package dev.rmpopt.kernel.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class DebugfsRmpoptTableTest {

    static BitSet cpus(int... ranges) {
        BitSet set = new BitSet();
        for (int i = 0; i < ranges.length; i += 2) {
            set.set(ranges[i], ranges[i + 1] + 1);
        }
        return set;
    }

    @Test
    void linesMatchTheKernelsExample() {
        assertEquals("Memory @  0GB: CPU(s): none", DebugfsRmpoptTable.line(0, new BitSet()));
        assertEquals("Memory @  2GB: CPU(s): 0-1023", DebugfsRmpoptTable.line(2, cpus(0, 1023)));
        assertEquals("Memory @ 12GB: CPU(s): 0-3,8-11", DebugfsRmpoptTable.line(12, cpus(0, 3, 8, 11)));
        assertEquals("Memory @1037GB: CPU(s): 0-1023", DebugfsRmpoptTable.line(1037, cpus(0, 1023)));
        assertEquals("Memory @1038GB: CPU(s): none", DebugfsRmpoptTable.line(1038, new BitSet()));
    }

    @Test
    void gigabyteNumbersAreRightAlignedToThreeAndGrowPastThem() {
        assertEquals("Memory @  7GB: CPU(s): 0", DebugfsRmpoptTable.line(7, cpus(0, 0)));
        assertEquals("Memory @ 99GB: CPU(s): 1", DebugfsRmpoptTable.line(99, cpus(1, 1)));
        assertEquals("Memory @100GB: CPU(s): 0-1", DebugfsRmpoptTable.line(100, cpus(0, 1)));
        assertEquals("Memory @999GB: CPU(s): none", DebugfsRmpoptTable.line(999, new BitSet()));
        assertEquals("Memory @1000GB: CPU(s): 0-511,768-1023", DebugfsRmpoptTable.line(1000, cpus(0, 511, 768, 1023)));
        assertEquals("Memory @1025GB: CPU(s): 0-255,512-767", DebugfsRmpoptTable.line(1025, cpus(0, 255, 512, 767)));
        assertEquals("Memory @2047GB: CPU(s): 1023", DebugfsRmpoptTable.line(2047, cpus(1023, 1023)));
        assertEquals("Memory @24575GB: CPU(s): none", DebugfsRmpoptTable.line(24575, new BitSet()));
    }

    @Test
    void smtSiblingsAppearIndividually() {
        // 2 sockets x 4 cores x 2 threads: core 1's threads are CPUs 1 and 9.
        assertEquals("Memory @  3GB: CPU(s): 1,9", DebugfsRmpoptTable.line(3, cpus(1, 1, 9, 9)));
        assertEquals("Memory @  4GB: CPU(s): 0-15", DebugfsRmpoptTable.line(4, cpus(0, 15)));
    }

    @Test
    void cpuListRunsSinglesAndPairs() {
        assertEquals("", CpuList.format(new BitSet()));
        assertEquals("5", CpuList.format(cpus(5, 5)));
        assertEquals("0-1", CpuList.format(cpus(0, 1)));
        assertEquals("0,2,4-6,1023", CpuList.format(cpus(0, 0, 2, 2, 4, 6, 1023, 1023)));
    }
}
