package dev.rmpopt.api;

/**
 * The page size of an RMP entry (model §3): hardware has 4 KiB and 2 MiB entries only. A 2 MiB entry
 * sits at a 2 MiB-aligned page and is authoritative for all 512 pages of its range.
 */
public enum PageSize {
    /** A 4 KiB entry. */
    SIZE_4K(Geometry.PAGE_4K),
    /** A 2 MiB entry, authoritative for the 512 4 KiB pages of its range. */
    SIZE_2M(Geometry.PAGE_2M);

    private final long bytes;

    PageSize(long bytes) {
        this.bytes = bytes;
    }

    /** Bytes covered by one entry of this size. */
    public long bytes() {
        return bytes;
    }

    /** 4 KiB pages covered by one entry of this size. */
    public long pages() {
        return bytes / Geometry.PAGE_4K;
    }
}
