package dev.rmpopt.api;

/**
 * Address geometry of the model (model §2 and §3): 4 KiB pages, 2 MiB ranges, 1 GiB RMPOPT regions,
 * and the size of the RMP a host needs.
 *
 * <p>Every address is a system physical address (SPA) held in a {@code long}; every page index is a
 * {@code long} as well, since a 24 TiB host has about 6 billion 4 KiB pages.
 */
public final class Geometry {
    /** Bytes in a 4 KiB page. */
    public static final long PAGE_4K = 1L << 12;
    /** Bytes in a 2 MiB range. */
    public static final long PAGE_2M = 1L << 21;
    /** Bytes in a 1 GiB RMPOPT region. */
    public static final long REGION_1G = 1L << 30;
    /** 4 KiB pages in a 2 MiB range. */
    public static final int PAGES_PER_2M = 512;
    /** 4 KiB pages in a 1 GiB region. */
    public static final int PAGES_PER_REGION = 1 << 18;
    /** 2 MiB ranges in a 1 GiB region. */
    public static final int RANGES_2M_PER_REGION = 512;
    /** Bytes of one RMP entry in hardware (model §3). */
    public static final long RMP_ENTRY_BYTES = 16;
    /** Bytes of the processor bookkeeping area in front of the RMP entries (model §3). */
    public static final long RMP_BOOKKEEPING_BYTES = 16L << 10;
    /** One TiB, for window sizes and host descriptions. */
    public static final long TIB = 1L << 40;
    /** One GiB. */
    public static final long GIB = REGION_1G;

    private Geometry() {
    }

    /** The page frame number of {@code spa} ({@code spa >> 12}). */
    public static long pfn(long spa) {
        return spa >>> 12;
    }

    /** The SPA of page frame {@code pfn}. */
    public static long spaOfPfn(long pfn) {
        return pfn << 12;
    }

    /** The 1 GiB region index of {@code spa} ({@code spa >> 30}). */
    public static long regionIndex(long spa) {
        return spa >>> 30;
    }

    /** The base SPA of 1 GiB region {@code index}. */
    public static long regionBase(long index) {
        return index << 30;
    }

    /** {@code value} rounded down to a multiple of {@code alignment}, a power of two. */
    public static long alignDown(long value, long alignment) {
        return value & -alignment;
    }

    /** {@code value} rounded up to a multiple of {@code alignment}, a power of two. */
    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** Whether {@code value} is a multiple of {@code alignment}, a power of two. */
    public static boolean isAligned(long value, long alignment) {
        return (value & (alignment - 1)) == 0;
    }

    /**
     * Bytes of RMP needed to cover {@code [0, coveredBytes)}: the 16 KiB bookkeeping area plus one
     * 16-byte entry per 4 KiB page (about 0.39% of RAM, model §3).
     */
    public static long rmpTableBytes(long coveredBytes) {
        return RMP_BOOKKEEPING_BYTES + pfn(alignUp(coveredBytes, PAGE_4K)) * RMP_ENTRY_BYTES;
    }

    /** {@code spa} as the hexadecimal text used in messages, for example {@code 0x40000000}. */
    public static String hex(long spa) {
        return "0x" + Long.toHexString(spa);
    }
}
