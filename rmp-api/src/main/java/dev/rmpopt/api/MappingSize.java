package dev.rmpopt.api;

/**
 * The size of the page-table mapping through which a CPU accesses memory (model §5). The write check
 * depends on it: a 4 KiB mapping needs its page unassigned; a 2 MiB or 1 GiB mapping needs every
 * page of the enclosing 2 MiB range unassigned, since hardware checks a 1 GiB mapping as 2 MiB.
 */
public enum MappingSize {
    /** A 4 KiB mapping. */
    SIZE_4K(Geometry.PAGE_4K),
    /** A 2 MiB mapping. */
    SIZE_2M(Geometry.PAGE_2M),
    /** A 1 GiB mapping; RMP checks treat it as 2 MiB (model §5). */
    SIZE_1G(Geometry.REGION_1G);

    private final long bytes;

    MappingSize(long bytes) {
        this.bytes = bytes;
    }

    /** Bytes mapped. */
    public long bytes() {
        return bytes;
    }

    /**
     * Bytes of the range the RMP check covers around the accessed address: 4 KiB for a 4 KiB
     * mapping, 2 MiB for 2 MiB and 1 GiB mappings.
     */
    public long checkedBytes() {
        return this == SIZE_4K ? Geometry.PAGE_4K : Geometry.PAGE_2M;
    }
}
