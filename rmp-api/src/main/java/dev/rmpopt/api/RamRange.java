package dev.rmpopt.api;

import java.util.Objects;

/**
 * A range of RAM in the host's memory map, and the NUMA node it belongs to (model §2).
 *
 * @param range    the addresses, 4 KiB-aligned
 * @param numaNode the node, 0 to the topology's node count - 1
 */
public record RamRange(PhysRange range, int numaNode) {

    /** Rejects a missing range or a negative node. */
    public RamRange {
        Objects.requireNonNull(range, "range");
        if (numaNode < 0) {
            throw new IllegalArgumentException("NUMA node must be non-negative");
        }
    }

    /** RAM {@code [start, end)} on {@code numaNode}. */
    public static RamRange of(long start, long end, int numaNode) {
        return new RamRange(new PhysRange(start, end), numaNode);
    }
}
