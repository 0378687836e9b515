package dev.rmpopt.core.scalable;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RamRange;

/**
 * Which addresses are RAM (model §2), answered with one array load for the 1 GiB regions that are
 * all RAM or all hole, and by the host's binary search for the few regions that hold an edge.
 */
final class RamMap {
    private static final byte NONE = 0;
    /** A region that is RAM from end to end. */
    static final byte FULL = 1;
    private static final byte PARTIAL = 2;

    private final HostDescription host;
    private final byte[] kind;

    RamMap(HostDescription host, int regionCount) {
        this.host = host;
        this.kind = new byte[regionCount];
        for (RamRange r : host.ram()) {
            PhysRange range = r.range();
            long first = Geometry.regionIndex(range.start());
            long last = Geometry.regionIndex(range.end() - 1);
            for (long region = first; region <= last; region++) {
                boolean whole = range.start() <= Geometry.regionBase(region)
                        && range.end() >= Geometry.regionBase(region + 1);
                kind[(int) region] = whole ? FULL : PARTIAL;
            }
        }
    }

    /** Per region: {@link #FULL}, or not; for the write fast path. Never written after construction. */
    byte[] kinds() {
        return kind;
    }

    /** Whether {@code spa} is RAM; false for negative addresses. */
    boolean isRam(long spa) {
        long region = spa >>> 30;
        if (region < kind.length) {
            byte k = kind[(int) region];
            if (k == FULL) {
                return true;
            }
            if (k == NONE) {
                return false;
            }
        }
        return host.isRam(spa);
    }
}
