package dev.rmpopt.core.scalable;

import static dev.rmpopt.api.Geometry.PAGES_PER_2M;
import static dev.rmpopt.api.Geometry.RANGES_2M_PER_REGION;

import java.util.Arrays;

/**
 * The RMP entries of one 1 GiB region (model §3), stored by 2 MiB range: a range whose 512 pages
 * share one entry (a 2M entry, or 512 equal 4K entries) is a single {@link EntryCode}; only a
 * range whose 4K entries differ gets a {@code long[512]} of them. A region nobody changed has no
 * {@code RegionEntries} at all, so memory follows the pages that differ from the power-on state,
 * not the size of the host.
 *
 * <p>Also counts the assigned and the immutable pages of each range, so that a 2M or 1G write
 * check and a 2M RMPUPDATE's overlap and permission checks need no scan (model §4, §5).
 *
 * <p>Not thread-safe by itself: one writer at a time (the region's write lock in
 * {@link ScalableSnpMachine}); readers either hold that lock or read optimistically and validate,
 * so a reader may see a torn view here but never uses it. Readers never throw on a torn view.
 *
 * <p>Invariant (the same as the reference's, where a 2M entry sits at the range's base page): while
 * a range holds a 2M entry, its other 511 raw entries are HYPERVISOR, so the 2M code alone
 * describes the range. Detail arrays only ever hold 4K entries.
 */
final class RegionEntries {

    private final long[] rangeCode = new long[RANGES_2M_PER_REGION];
    private final long[][] detail = new long[RANGES_2M_PER_REGION][];
    private final short[] assignedInRange = new short[RANGES_2M_PER_REGION];
    private final short[] immutableInRange = new short[RANGES_2M_PER_REGION];
    private int detailArrays;

    /** The entry that decides page {@code page} (0 to 262143) of the region: the 2M entry if one covers it. */
    long authoritative(int page) {
        int range = page >>> 9;
        long code = rangeCode[range];
        if (code != EntryCode.MIXED) {
            return code;
        }
        long[] pages = detail[range];
        return pages == null ? EntryCode.MIXED : pages[page & (PAGES_PER_2M - 1)];
    }

    /** The range's shared entry, or {@link EntryCode#MIXED}. */
    long rangeCode(int range) {
        return rangeCode[range];
    }

    /** Whether the range holds a 2M entry. */
    boolean holds2M(int range) {
        long code = rangeCode[range];
        return code != EntryCode.MIXED && EntryCode.is2M(code);
    }

    /** Assigned pages (by their authoritative entries) in 2 MiB range {@code range}. */
    int assignedInRange(int range) {
        return assignedInRange[range];
    }

    /**
     * The first page (0 to 262143) whose authoritative entry is assigned, or -1: found by the
     * per-range counts, then within the first range that has any. May be wrong on a torn view, never
     * out of range; the caller validates.
     */
    int firstAssignedPage() {
        for (int range = 0; range < RANGES_2M_PER_REGION; range++) {
            if (assignedInRange[range] == 0) {
                continue;
            }
            long code = rangeCode[range];
            if (code != EntryCode.MIXED) {
                return EntryCode.isAssigned(code) ? range << 9 : -1;
            }
            long[] pages = detail[range];
            for (int p = 0; pages != null && p < PAGES_PER_2M; p++) {
                if (EntryCode.isAssigned(pages[p])) {
                    return (range << 9) + p;
                }
            }
            return -1;
        }
        return -1;
    }

    /** Whether any authoritative entry of the range is immutable: its count, O(1). */
    boolean anyImmutable(int range) {
        return immutableInRange[range] > 0;
    }

    /** 4 KiB detail arrays currently allocated, for footprint tests. */
    int detailArrays() {
        return detailArrays;
    }

    /**
     * Makes every page of the range share {@code code} (a 2M entry, or one 4K entry for all 512
     * pages). Returns the change in the region's assigned-page count.
     */
    int setRange(int range, long code) {
        int before = assignedInRange[range];
        int after = EntryCode.isAssigned(code) ? PAGES_PER_2M : 0;
        assignedInRange[range] = (short) after;
        immutableInRange[range] = (short) (EntryCode.isImmutable(code) ? PAGES_PER_2M : 0);
        rangeCode[range] = code;
        dropDetail(range);
        return after - before;
    }

    /**
     * Writes 4K entry {@code code} to pages {@code [from, to)} of the range (page offsets 0-512); a
     * 2M entry there is first split as PSMASH would, as the reference's SNP_INIT does. Returns the
     * change in the region's assigned-page count.
     */
    int setPages(int range, int from, int to, long code) {
        long shared = rangeCode[range];
        if (shared != EntryCode.MIXED && !EntryCode.is2M(shared) && shared == code) {
            return 0;
        }
        if (from == 0 && to == PAGES_PER_2M) {
            return setRange(range, code);
        }
        long[] pages = materialize(range);
        int delta = 0;
        int immutable = 0;
        for (int i = from; i < to; i++) {
            delta += (EntryCode.isAssigned(code) ? 1 : 0) - (EntryCode.isAssigned(pages[i]) ? 1 : 0);
            immutable += (EntryCode.isImmutable(code) ? 1 : 0) - (EntryCode.isImmutable(pages[i]) ? 1 : 0);
            pages[i] = code;
        }
        assignedInRange[range] += delta;
        immutableInRange[range] += immutable;
        collapseIfUniform(range, pages);
        return delta;
    }

    /** Writes 4K entry {@code code} to page {@code page} of the region. */
    int setPage(int page, long code) {
        int offset = page & (PAGES_PER_2M - 1);
        return setPages(page >>> 9, offset, offset + 1, code);
    }

    /** PSMASH: the range's 2M entry becomes 512 4K entries (model §4). The assigned count is unchanged. */
    void split(int range) {
        materialize(range);
    }

    /** The range's detail array, creating it from the shared entry (splitting a 2M one) if needed. */
    private long[] materialize(int range) {
        long shared = rangeCode[range];
        if (shared == EntryCode.MIXED) {
            return detail[range];
        }
        long[] pages = new long[PAGES_PER_2M];
        if (EntryCode.is2M(shared)) {
            for (int i = 0; i < PAGES_PER_2M; i++) {
                pages[i] = EntryCode.split(shared, i);
            }
        } else if (shared != EntryCode.HYPERVISOR) {
            Arrays.fill(pages, shared);
        }
        // Publish the array before the marker, so an optimistic reader that sees MIXED usually
        // finds the array; if not, it reads MIXED back and its validation fails anyway.
        detail[range] = pages;
        rangeCode[range] = EntryCode.MIXED;
        detailArrays++;
        return pages;
    }

    /** Gives a range back its single code when its pages became equal again (a guest page freed). */
    private void collapseIfUniform(int range, long[] pages) {
        if (assignedInRange[range] != 0 && assignedInRange[range] != PAGES_PER_2M) {
            return;
        }
        long first = pages[0];
        for (int i = 1; i < PAGES_PER_2M; i++) {
            if (pages[i] != first) {
                return;
            }
        }
        rangeCode[range] = first;
        dropDetail(range);
    }

    private void dropDetail(int range) {
        if (detail[range] != null) {
            detail[range] = null;
            detailArrays--;
        }
    }
}
