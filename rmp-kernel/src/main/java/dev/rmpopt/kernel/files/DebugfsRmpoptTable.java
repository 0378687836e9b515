package dev.rmpopt.kernel.files;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.SnpMachine;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * {@code /sys/kernel/debug/x86/rmpopt/rmpopt-table} (model §7, patches v2-v8): one line per 1 GiB
 * region of the pass range, {@code Memory @%3lluGB: CPU(s): <cpulist>} listing every online
 * logical CPU whose REPORT_STATUS returned CF=1, or {@code Memory @%3lluGB: CPU(s): none}. The
 * kernel queries every online logical CPU, so SMT siblings appear individually; a CPU whose
 * RMPOPT raises #UD reports nothing.
 */
public final class DebugfsRmpoptTable {

    /** The file's path in the kernel. */
    public static final String PATH = "/sys/kernel/debug/x86/rmpopt/rmpopt-table";

    private DebugfsRmpoptTable() {
    }

    /** The file's lines for {@code range} (v5-v8: {@code [rmpopt_pa_start, rmpopt_pa_end)}). */
    public static List<String> lines(SnpMachine machine, PhysRange range) {
        int cpus = machine.host().topology().cpuCount();
        List<String> lines = new ArrayList<>();
        BitSet optimized = new BitSet(cpus);
        for (long pa = Geometry.alignDown(range.start(), Geometry.REGION_1G); pa < range.end(); pa += Geometry.REGION_1G) {
            optimized.clear();
            for (int cpu = 0; cpu < cpus; cpu++) {
                if (machine.rmpopt(cpu, pa, RmpoptFunction.REPORT_STATUS).carry()) {
                    optimized.set(cpu);
                }
            }
            lines.add(line(Geometry.regionIndex(pa), optimized));
        }
        return lines;
    }

    /** One line: {@code Memory @%3lluGB: CPU(s): ...} for region {@code gigabyte}. */
    public static String line(long gigabyte, BitSet optimizedCpus) {
        String cpus = optimizedCpus.isEmpty() ? "none" : CpuList.format(optimizedCpus);
        return String.format("Memory @%3dGB: CPU(s): %s", gigabyte, cpus);
    }
}
