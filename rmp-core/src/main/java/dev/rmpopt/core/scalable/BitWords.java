package dev.rmpopt.core.scalable;

/**
 * Word operations on bit sets kept as {@code long[]} (bit {@code i} in word {@code i / 64}), for the
 * round path ({@code rmpoptOnCpus}): moving a set of logical CPUs to the set of their cores and
 * back costs O(words), whatever the number of CPUs, because Linux numbers CPUs thread-major (model
 * §2: CPU {@code t * cores + c} is thread {@code t} of core {@code c}), so each thread's CPUs are
 * the cores' bits shifted by {@code t * cores}.
 */
final class BitWords {

    private BitWords() {
    }

    /** The 64 bits of {@code src} starting at bit {@code pos} (which may be negative); 0 outside it. */
    static long bitsAt(long[] src, long pos) {
        if (pos < 0) {
            return pos <= -64 ? 0 : word(src, 0) << -pos;
        }
        int w = (int) (pos >>> 6);
        int sh = (int) (pos & 63);
        long lo = word(src, w) >>> sh;
        return sh == 0 ? lo : lo | word(src, w + 1) << (64 - sh);
    }

    private static long word(long[] src, int i) {
        return i < src.length ? src[i] : 0;
    }

    /**
     * The CPUs of the cores in {@code cores} (every thread of each): into {@code cpus}, overwritten.
     * {@code cores} holds no bit at or above {@code coreCount}.
     */
    static void coresToCpus(long[] cores, int coreCount, int threads, long[] cpus) {
        if ((coreCount & 63) == 0) {
            // each thread's CPUs start on a word boundary: copies, no shifts
            int cw = coreCount >>> 6;
            for (int t = 0; t < threads; t++) {
                System.arraycopy(cores, 0, cpus, t * cw, Math.min(cw, cores.length));
            }
            return;
        }
        for (int i = 0; i < cpus.length; i++) {
            long w = 0;
            for (int t = 0; t < threads; t++) {
                w |= bitsAt(cores, 64L * i - (long) t * coreCount);
            }
            cpus[i] = w;
        }
    }

    /**
     * The cores of the CPUs in {@code cpus}: into {@code cores}, overwritten. {@code cpus} has a word
     * for every 64 CPUs of the host ({@code ceil(threads * coreCount / 64)}).
     */
    static void cpusToCores(long[] cpus, int coreCount, int threads, long[] cores) {
        if ((coreCount & 63) == 0) {
            // cpus holds threads * cw words: thread t's CPUs of core word j are its word t * cw + j
            int cw = coreCount >>> 6;
            for (int j = 0; j < cores.length; j++) {
                long w = 0;
                for (int t = 0; t < threads; t++) {
                    w |= cpus[t * cw + j];
                }
                cores[j] = w;
            }
            return;
        }
        for (int j = 0; j < cores.length; j++) {
            long w = 0;
            for (int t = 0; t < threads; t++) {
                w |= bitsAt(cpus, (long) t * coreCount + 64L * j);
            }
            int valid = coreCount - 64 * j;
            cores[j] = valid >= 64 ? w : w & ((1L << valid) - 1);
        }
    }

    /** Whether every word is 0. */
    static boolean isEmpty(long[] words) {
        for (long w : words) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }
}
