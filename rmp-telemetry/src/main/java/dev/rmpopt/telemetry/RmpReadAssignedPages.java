package dev.rmpopt.telemetry;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpReadResult;
import dev.rmpopt.api.SnpMachine;
import java.util.BitSet;
import java.util.Objects;
import java.util.stream.Stream;

/** {@link AssignedPages#byRmpRead}: per-region counts kept up to date by rescanning changed regions. */
final class RmpReadAssignedPages implements AssignedPages {

    private final SnpMachine machine;
    private final RmpTelemetry telemetry;
    private final HostDescription host;
    private final long[] counts;
    private final BitSet reservedRegions = new BitSet();

    RmpReadAssignedPages(SnpMachine machine, RmpTelemetry telemetry) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.host = machine.host();
        if (!host.equals(telemetry.host())) {
            throw new IllegalArgumentException("the telemetry counts another host than the machine's");
        }
        this.counts = new long[Math.toIntExact(host.regionCount())];
        Stream.concat(host.rmpTable().stream(), host.firmwarePages().stream()).forEach(range -> reservedRegions.set(
                Math.toIntExact(Geometry.regionIndex(range.start())),
                Math.toIntExact(Geometry.regionIndex(range.end() - 1)) + 1));
    }

    @Override
    public synchronized long[] perRegion() {
        BitSet rescan = telemetry.drainEntriesChanged();
        if (telemetry.drainReservedChanged()) {
            rescan.or(reservedRegions);
        }
        for (int r = rescan.nextSetBit(0); r >= 0; r = rescan.nextSetBit(r + 1)) {
            counts[r] = scan(r);
        }
        return counts.clone();
    }

    private long scan(int region) {
        long base = Geometry.regionBase(region);
        long end = Math.min(base + Geometry.REGION_1G, host.ramEnd());
        long assigned = 0;
        for (long range = base; range < end; range += Geometry.PAGE_2M) {
            if (host.isRam(new PhysRange(range, range + Geometry.PAGE_2M))) {
                RmpEntry first = machine.rmpRead(range).entry();
                if (first.pageSize() == PageSize.SIZE_2M) {
                    assigned += first.assigned() ? Geometry.PAGES_PER_2M : 0;
                    continue;
                }
                assigned += first.assigned() ? 1 : 0;
                assigned += count4k(range + Geometry.PAGE_4K, range + Geometry.PAGE_2M);
            } else {
                assigned += count4k(range, Math.min(range + Geometry.PAGE_2M, end));
            }
        }
        return assigned;
    }

    /** Assigned pages among the 4 KiB entries of {@code [from, to)}; pages that are not RAM have none. */
    private long count4k(long from, long to) {
        long assigned = 0;
        for (long spa = from; spa < to; spa += Geometry.PAGE_4K) {
            if (machine.rmpRead(spa) instanceof RmpReadResult.Read read && read.entry().assigned()) {
                assigned++;
            }
        }
        return assigned;
    }
}
