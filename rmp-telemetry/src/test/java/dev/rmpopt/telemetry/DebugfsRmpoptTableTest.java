package dev.rmpopt.telemetry;

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
    void cpuListRunsSinglesAndPairs() {
        assertEquals("", CpuList.format(new BitSet()));
        assertEquals("5", CpuList.format(cpus(5, 5)));
        assertEquals("0-1", CpuList.format(cpus(0, 1)));
        assertEquals("0,2,4-6,1023", CpuList.format(cpus(0, 0, 2, 2, 4, 6, 1023, 1023)));
    }
}
