package dev.rmpopt.kernel.files;

import java.util.BitSet;

/**
 * The kernel's cpumask range-list format ({@code %*pbl}, model §7): ascending runs joined by
 * commas, a run of one CPU as its number, a longer run as {@code first-last}, for example
 * {@code 0-3,8-11}. An empty set prints as the empty string.
 */
final class CpuList {

    private CpuList() {
    }

    /** {@code cpus} in range-list format. */
    static String format(BitSet cpus) {
        StringBuilder out = new StringBuilder();
        for (int first = cpus.nextSetBit(0); first >= 0; ) {
            int end = cpus.nextClearBit(first);
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(first);
            if (end - 1 > first) {
                out.append('-').append(end - 1);
            }
            first = cpus.nextSetBit(end);
        }
        return out.toString();
    }
}
