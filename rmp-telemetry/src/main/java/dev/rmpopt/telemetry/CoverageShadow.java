package dev.rmpopt.telemetry;

import java.util.Arrays;

/**
 * Which physical cores hold each region's RMPOPT bit, kept from the events the backend reports
 * (model §4): a VERIFY with CF=1 sets its CPU's bit, a clear of a region (RMPUPDATE, PSMASH) clears
 * it on every table, SNP_INIT and SNP_SHUTDOWN clear everything, and a WRMSR of RMPOPT_BASE that
 * takes effect resets its core's table(s). Two views, because the tables are per core or per logical
 * CPU ({@code RmpoptTableScope}): a core's table holds a region when any of its threads verified it
 * since the last clear; a primary thread's own table when that thread did.
 *
 * <p>Per region, bit words over cores and the count of set bits, updated in O(cores / 64) per event
 * (a round included) and read in O(regions) per sample. A WRMSR costs O(regions) only for a core
 * that may hold a bit. Logical CPUs are numbered thread-major (model §2), so the cores of a set of
 * CPUs are the OR of its thread slices, shifted.
 *
 * <p>Exact when the events reach it in the order they took effect, which holds whenever one thread
 * drives the machine (the simulation, whose passes are rounds on the caller's thread). Thread-safe
 * by its monitor.
 */
final class CoverageShadow {

    private final int regions;
    private final int cores;
    private final int threads;
    private final int coreWords;
    /** Region-major: a core's bit when any of its threads verified the region since the last clear. */
    private final long[] anyThread;
    /** Region-major: a core's bit when its primary thread verified the region since the last clear. */
    private final long[] primary;
    private final int[] anyThreadCount;
    private final int[] primaryCount;
    /** Cores that may hold a bit in some region, so a WRMSR on any other costs O(1). */
    private final long[] mayHoldBits;

    CoverageShadow(int regions, int cores, int threads) {
        this.regions = regions;
        this.cores = cores;
        this.threads = threads;
        this.coreWords = (cores + 63) >> 6;
        this.anyThread = new long[Math.multiplyExact(regions, coreWords)];
        this.primary = new long[anyThread.length];
        this.anyThreadCount = new int[regions];
        this.primaryCount = new int[regions];
        this.mayHoldBits = new long[coreWords];
    }

    /** CPU {@code cpu} verified {@code region} with CF=1. */
    synchronized void verified(int region, int cpu) {
        if (region >= regions) {
            return;
        }
        int core = cpu % cores;
        long bit = 1L << core;
        int i = region * coreWords + (core >> 6);
        if ((anyThread[i] & bit) == 0) {
            anyThread[i] |= bit;
            anyThreadCount[region]++;
        }
        if (cpu < cores && (primary[i] & bit) == 0) {
            primary[i] |= bit;
            primaryCount[region]++;
        }
        mayHoldBits[core >> 6] |= bit;
    }

    /** The CPUs of {@code cpuCarry} (bit words over CPU ids) verified {@code region} with CF=1. */
    synchronized void verified(int region, long[] cpuCarry) {
        if (region >= regions) {
            return;
        }
        int row = region * coreWords;
        for (int j = 0; j < coreWords; j++) {
            long first = bitsAt(cpuCarry, 64L * j) & valid(j);
            long any = first;
            for (int t = 1; t < threads; t++) {
                any |= bitsAt(cpuCarry, (long) t * cores + 64L * j) & valid(j);
            }
            long newAny = any & ~anyThread[row + j];
            anyThread[row + j] |= newAny;
            anyThreadCount[region] += Long.bitCount(newAny);
            long newPrimary = first & ~primary[row + j];
            primary[row + j] |= newPrimary;
            primaryCount[region] += Long.bitCount(newPrimary);
            mayHoldBits[j] |= any;
        }
    }

    /** {@code region} was cleared on every table. */
    synchronized void regionCleared(long region) {
        if (region >= regions || region < 0) {
            return;
        }
        int r = (int) region;
        Arrays.fill(anyThread, r * coreWords, (r + 1) * coreWords, 0);
        Arrays.fill(primary, r * coreWords, (r + 1) * coreWords, 0);
        anyThreadCount[r] = 0;
        primaryCount[r] = 0;
    }

    /** Every table was cleared. */
    synchronized void allCleared() {
        Arrays.fill(anyThread, 0);
        Arrays.fill(primary, 0);
        Arrays.fill(anyThreadCount, 0);
        Arrays.fill(primaryCount, 0);
        Arrays.fill(mayHoldBits, 0);
    }

    /** A WRMSR reset {@code core}'s table(s): all its threads' (model §4). */
    synchronized void coreReset(int core) {
        long bit = 1L << core;
        int w = core >> 6;
        if ((mayHoldBits[w] & bit) == 0) {
            return;
        }
        for (int r = 0; r < regions; r++) {
            int i = r * coreWords + w;
            if ((anyThread[i] & bit) != 0) {
                anyThread[i] &= ~bit;
                anyThreadCount[r]--;
            }
            if ((primary[i] & bit) != 0) {
                primary[i] &= ~bit;
                primaryCount[r]--;
            }
        }
        mayHoldBits[w] &= ~bit;
    }

    /**
     * Per region, the cores whose REPORT_STATUS on the primary thread would return CF=1: the cores'
     * tables ({@code perCore}), or the primary threads' own.
     */
    synchronized int[] optimizedCores(boolean perCore) {
        return (perCore ? anyThreadCount : primaryCount).clone();
    }

    private long valid(int coreWord) {
        int n = cores - 64 * coreWord;
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    private static long bitsAt(long[] src, long pos) {
        int w = (int) (pos >>> 6);
        int sh = (int) (pos & 63);
        long lo = w < src.length ? src[w] >>> sh : 0;
        return sh == 0 || w + 1 >= src.length ? lo : lo | src[w + 1] << (64 - sh);
    }
}
