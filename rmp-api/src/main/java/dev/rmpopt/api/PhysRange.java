package dev.rmpopt.api;

/**
 * A half-open range of system physical addresses {@code [start, end)}, 4 KiB-aligned.
 *
 * @param start first byte
 * @param end   first byte past the range
 */
public record PhysRange(long start, long end) {

    /** Rejects negative, empty, reversed or unaligned ranges. */
    public PhysRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("not a range: [" + Geometry.hex(start) + ", " + Geometry.hex(end) + ")");
        }
        if (!Geometry.isAligned(start, Geometry.PAGE_4K) || !Geometry.isAligned(end, Geometry.PAGE_4K)) {
            throw new IllegalArgumentException("range [" + Geometry.hex(start) + ", " + Geometry.hex(end) + ") is not 4 KiB-aligned");
        }
    }

    /** The range of {@code bytes} starting at {@code start}. */
    public static PhysRange ofSize(long start, long bytes) {
        return new PhysRange(start, start + bytes);
    }

    /** Bytes in the range. */
    public long size() {
        return end - start;
    }

    /** Whether {@code spa} lies in the range. */
    public boolean contains(long spa) {
        return spa >= start && spa < end;
    }

    /** Whether {@code other} lies entirely in this range. */
    public boolean contains(PhysRange other) {
        return other.start >= start && other.end <= end;
    }

    /** Whether the two ranges share a byte. */
    public boolean overlaps(PhysRange other) {
        return start < other.end && other.start < end;
    }

    @Override
    public String toString() {
        return "[" + Geometry.hex(start) + ", " + Geometry.hex(end) + ")";
    }
}
