package dev.rmpopt.core.scalable;

import static dev.rmpopt.api.Geometry.PAGES_PER_2M;
import static dev.rmpopt.api.Geometry.PAGES_PER_REGION;
import static dev.rmpopt.api.Geometry.PAGE_2M;
import static dev.rmpopt.api.Geometry.PAGE_4K;
import static dev.rmpopt.api.Geometry.REGION_1G;
import static dev.rmpopt.api.Geometry.hex;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.ClearPolicy;
import dev.rmpopt.api.CpuMask;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.FirmwareCommand;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PageState;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.PvalidateResult;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpFault;
import dev.rmpopt.api.RmpReadResult;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptResults;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.ShutdownKind;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A backend that answers exactly as the reference does (its rules, return codes, order of checks
 * and events are the reference's; see {@code ReferenceSnpMachine}) for hosts up to 24 TiB and
 * beyond, in memory that grows with the pages that differ from power-on, and with VERIFY and the
 * write check in O(1).
 *
 * <h2>State</h2>
 * <ul>
 *   <li>The RMP: per 1 GiB region, a lazily created {@link RegionEntries} (a code per 2 MiB range,
 *       4K detail only where a range's entries differ).</li>
 *   <li>Per region, one {@link RegionStates} word: a sequence-lock version and the region's count
 *       of assigned pages, so VERIFY (model §4) is one load.</li>
 *   <li>The RMPOPT tables: one flat versioned bit table, {@link RmpoptTables}.</li>
 *   <li>RMPOPT_BASE: per core, behind a sequence lock, and all together behind one more, with the
 *       cores grouped by MSR value for rounds: {@link CoreMsrs}.</li>
 *   <li>Firmware state (guest contexts, SNP initialized) under one monitor.</li>
 * </ul>
 *
 * <h2>Concurrency, and why it is race-free</h2>
 * Locks: RMPUPDATE, PSMASH, PVALIDATE and firmware page changes hold their region's word (its
 * version odd); SNP_INIT holds every region's. WRMSR holds the write side of the core's sequence
 * lock, and of the global MSR sequence lock inside it. Lock order: firmware monitor, then cores
 * ascending, then the global MSR lock, then regions ascending. RMPREAD, the write check and RMPOPT
 * take no lock: they read, validate that the
 * version they started from is unchanged, and retry (spinning only while a writer holds what they
 * read). Writes never lock.
 *
 * <p>Two invariants hold at every instant, not only between operations:
 * <ol>
 *   <li><b>J</b>: a set bit of table t for region r implies t's core has RMPOPT enabled with r in
 *       its window. Bits are set only by VERIFY, which checks the MSR; WRMSR clears
 *       the core's bits over the old window <em>before</em> they change the MSR. So the write fast
 *       path may test the bit alone, as the reference tests enabled, window and bit.</li>
 *   <li><b>I1</b> (model §6): a set bit for region r implies no published entry of r is assigned.
 *       Every writer that may assign a page of r (RMPUPDATE, PSMASH) holds r's word, clears r's
 *       row on every table, and only then publishes the new entries and count with its release
 *       of the word. VERIFY (core c, region r) reads c's word w of r's row, then r's state word
 *       (unlocked, count 0), checks c's MSR sequence, and sets its bit with
 *       {@code CAS(w, w | bit)}. If the CAS succeeds, no clear of that row word happened since w
 *       was read (every clear raises the word's version), so a writer that took r after VERIFY
 *       read r's state clears the bit before it publishes; a writer that took r before had
 *       either published the state VERIFY read, or still held r (VERIFY saw it locked and
 *       retried). Hence no bit is ever set on a region whose published state has an assigned
 *       page: I1, and I3 once RMPUPDATE returns. The same argument with the core's sequence lock
 *       in place of the region's word gives J.</li>
 * </ol>
 *
 * <p><b>Clearing only clean regions.</b> A writer whose locked word shows a count above 0 clears
 * nothing: by I1 no table holds the region's bit, and no VERIFY can still set one. A VERIFY that
 * will CAS read its row word, then a state with count 0; that state was published before the lock
 * of the writer W that raised the count, so the row word was read before W's clear, whose version
 * makes the CAS fail (a word read after W's clear synchronizes with it, and the state read after
 * that sees W's lock or later). So RMPUPDATE pays the row's CASes only on a region with no assigned
 * page, and PSMASH, whose region holds the assigned 2M page it splits, never does. Every outcome
 * and event is the same as clearing: the bits cleared would have been none.
 *
 * <p>Linearization points: a writer at the release of its region word (validating readers see
 * all of its changes or none); VERIFY at its successful CAS (when the bit was already set, at its
 * state read, the row word being unchanged around it; when the count is non-zero, at that read);
 * REPORT_STATUS at its bit load, validated against the region's word (so it never sees a clear by
 * RMPUPDATE, PSMASH or SNP_INIT half done) and the core's MSR sequence; the write fast path at its
 * bit load; a checked write at its validated RMP read, with the bit read again inside the same
 * window (for a host-side write to a region whose published count is 0, the validated read is
 * the state word alone: no entry of the region is assigned at any instant of the window, so the
 * write linearizes at its bit load inside it). The one departure from a single atomic step is the one hardware has too: RMPUPDATE
 * and WRMSR clear different tables' bits one word after another, so a write on
 * another core may be checked a moment before the entry is published, and during a WRMSR a core's
 * writes may be checked in one region while still skipping in another. Treat each word's clear
 * as its own step of "forgetting an optimization", which is always allowed and never makes a
 * check unsafe: with that, every history is linearizable, and no write is ever skipped on a
 * region that held an assigned page at any instant of that write.
 *
 * <h2>Rounds</h2>
 * {@link #rmpoptOnCpus} runs one IPI round (many CPUs, one region) without a per-CPU step. WRMSR and
 * SNP_SHUTDOWN take, after their cores' sequence locks, one global MSR sequence lock for the whole
 * of their change (tables reset, MSR written, and {@link CoreMsrs.Groups} republished). A round
 * reads the global sequence (even), the groups, and validates the sequence: that is the per-CPU
 * MSR read of the single path, for every CPU of the round at once, and #UD and "outside the window"
 * are final at that validated read. For VERIFY it then takes the region's row one word at a time,
 * exactly the single path's steps for the (up to 32) tables of the round in that word: read the
 * word, read the region's state word (unlocked, count 0), validate the global sequence, and set all
 * the word's round bits with one {@code CAS(w, w | bits)}. The proof of J and I1 above goes through
 * word by word: a successful CAS means no clear of that word happened since it was read (versions),
 * so a writer that took the region after the state read clears the bits before it publishes, and a
 * WRMSR or SNP_SHUTDOWN that began after the validation resets the core's bits after the CAS (or
 * makes the CAS fail). Each CPU's VERIFY linearizes at its word's CAS (or state read, when the count
 * is not 0); words done are final, and on interference only the CPUs of the words not yet done are
 * retried. REPORT_STATUS of a round reads the row's words between two reads of the region's word
 * and validates the global sequence, as the single path validates its core's. The round is
 * therefore the same as the single calls run concurrently, one per CPU, which the TCK and
 * {@code RoundDifferentialTest} check.
 *
 * <p>Events: most are delivered after every lock is released; SNP_INIT's and the other firmware
 * commands' events are delivered inside the firmware monitor (no region or core lock is held).
 *
 * <p>The write fast path (SKIPPED) is a null check of its arguments, a CPU range check, a RAM check
 * by one byte load, and one acquire load with a bit test; it allocates nothing.
 *
 * <p>Out-of-contract arguments are refused first, as the SPI says and as the reference refuses
 * them, with nothing changed and no event.
 */
final class ScalableSnpMachine implements SnpMachine {

    private static final VarHandle REGION = MethodHandles.arrayElementVarHandle(RegionEntries[].class);
    private static final VarHandle LONG = MethodHandles.arrayElementVarHandle(long[].class);

    private final HostDescription host;
    private final ModelOptions options;
    private final RmpEventListener listener;
    /** Called at every point where another CPU's operation may interleave (model §6.1); NONE outside interleaving tests. */
    private final InterleavingProbe probe;
    private final CpuTopology topology;
    private final RamMap ram;
    private final long windowBytes;
    private final boolean clearOnEveryUpdate;

    /** Regions from 0 to the top of RAM, rounded up. */
    private final int regionCount;
    /** Regions entirely below the top of RAM; only these can verify (the reference's [M] rule). */
    private final long coveredRegions;
    private final RegionStates regionStates;
    private final RegionEntries[] regions;

    private final RmpoptTables tables;
    // The hot paths (write check, VERIFY) read these arrays directly rather than through their
    // owners: one pointer chase less per call, a measurable share of a 2-3 ns write (BENCHMARKS.md).
    private final long[] tableWords;
    private final int wordsPerRegion;
    private final byte[] ramKinds;
    private final long[] regionWords;
    private final CoreMsrs msrs;
    /** Per logical CPU: its core. */
    private final int[] coreOfCpu;
    /** Per logical CPU: its table's slot in a region row ({@link RmpoptTables#slotOf}). */
    private final long[] slotOfCpu;
    /** Per core: the slots of the tables a WRMSR on the core resets (the core's, or its threads'). */
    private final long[][] slotsOfCore;
    /** Tables per core (PER_CORE) or per logical CPU; the round path's units. */
    private final boolean perCore;
    private final int coreCount;
    private final int threads;
    private final int cpuWords;
    private final int coreWords;

    private final List<PhysRange> reservedPages;
    /** Live guest contexts: ASID to the SPA of the context page; guarded by {@link #firmware}. */
    private final Map<Integer, Long> guestContexts = new HashMap<>();
    private final Object firmware = new Object();
    private volatile boolean snpInitialized;
    /**
     * SYSCFG.SnpEn (model §4.8), one flag for every core: SNP_INIT sets it and X86_SNP_SHUTDOWN
     * clears it on every core at once, so per-core copies would always agree. RMP checks are on
     * exactly while it is set.
     */
    private volatile boolean snpEn;

    ScalableSnpMachine(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
        this.host = host;
        this.options = options;
        this.listener = listener;
        this.probe = probe;
        this.topology = host.topology();
        this.windowBytes = options.windowBytes();
        this.clearOnEveryUpdate = options.clearPolicy() == ClearPolicy.EVERY_RMPUPDATE;
        this.regionCount = Math.toIntExact(host.regionCount());
        this.coveredRegions = host.ramEnd() / REGION_1G;
        this.ram = new RamMap(host, regionCount);
        this.regionStates = new RegionStates(regionCount);
        this.regions = new RegionEntries[regionCount];

        boolean perCore = options.tableScope() == RmpoptTableScope.PER_CORE;
        int cpus = topology.cpuCount();
        int cores = topology.coreCount();
        this.perCore = perCore;
        this.coreCount = cores;
        this.threads = topology.threadsPerCore();
        this.cpuWords = (cpus + 63) >> 6;
        this.coreWords = (cores + 63) >> 6;
        this.tables = new RmpoptTables(regionCount, perCore ? cores : cpus);
        this.msrs = new CoreMsrs(cores);
        this.tableWords = tables.words();
        this.wordsPerRegion = tables.wordsPerRegion();
        this.ramKinds = ram.kinds();
        this.regionWords = regionStates.words();
        this.coreOfCpu = new int[cpus];
        this.slotOfCpu = new long[cpus];
        this.slotsOfCore = new long[cores][];
        for (int cpu = 0; cpu < cpus; cpu++) {
            coreOfCpu[cpu] = topology.coreOf(cpu);
            slotOfCpu[cpu] = RmpoptTables.slotOf(perCore ? coreOfCpu[cpu] : cpu);
        }
        for (int core = 0; core < cores; core++) {
            int[] siblings = topology.siblingsOf(core);
            slotsOfCore[core] = perCore ? new long[] {RmpoptTables.slotOf(core)}
                    : Arrays.stream(siblings).mapToLong(RmpoptTables::slotOf).toArray();
        }
        List<PhysRange> reserved = new ArrayList<>(host.rmpTable());
        reserved.addAll(host.firmwarePages());
        this.reservedPages = List.copyOf(reserved);
        this.snpEn = options.snpEnabledAtPowerOn();
    }

    @Override
    public HostDescription host() {
        return host;
    }

    @Override
    public ModelOptions options() {
        return options;
    }

    @Override
    public boolean rmpChecksEnabled() {
        return snpEn;
    }

    @Override
    public boolean snpEnabled(int cpu) {
        coreOf(cpu); // the topology's exception for a CPU that does not exist
        return snpEn;
    }

    /**
     * The first assigned page from the region's per-range counts (model §8.2): up to 512 counts and
     * one range's entries, read optimistically and validated against the region's word.
     */
    @Override
    public long firstAssignedPage(long regionIndex) {
        if (regionIndex < 0 || regionIndex >= regionCount) {
            throw new IllegalArgumentException("region " + regionIndex + " is not one of the host's " + regionCount);
        }
        int region = (int) regionIndex;
        for (;;) {
            long state = regionStates.beginRead(region);
            if (RegionStates.assigned(state) == 0) {
                return -1;
            }
            RegionEntries entries = region(region);
            int first = entries == null ? -1 : entries.firstAssignedPage();
            if (regionStates.validate(region, state)) {
                return first;
            }
        }
    }

    /**
     * The count the region's word publishes (model §3), in O(1): the same count VERIFY reads, taken
     * when no writer holds the region.
     */
    @Override
    public long assignedPages(long regionIndex) {
        if (regionIndex < 0 || regionIndex >= regionCount) {
            throw new IllegalArgumentException("region " + regionIndex + " is not one of the host's " + regionCount);
        }
        return RegionStates.assigned(regionStates.beginRead((int) regionIndex));
    }

    // ---------------------------------------------------------------- RMP (model §3, §4)

    /**
     * RMPUPDATE, with the reference's [M] rules and order of checks. With
     * {@link ModelOptions#failInUse()} it returns FAIL_INUSE, changing nothing, when another CPU
     * holds the page's region (an RMPUPDATE, PSMASH, PVALIDATE, firmware command or SNP_INIT changing
     * entries there) instead of waiting for it [M: the region is coarser than the hardware's entry].
     */
    @Override
    public RmpReturnCode rmpUpdate(Accessor caller, long spa, RmpState state) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(state, "state");
        requireSpa(spa);
        RmpReturnCode result;
        int cleared = 0;
        if (!(caller instanceof Accessor.Hypervisor)) {
            result = RmpReturnCode.FAIL_PERMISSION;
        } else if (!Geometry.isAligned(spa, PAGE_4K) || !ram.isRam(spa) || !state.isWellFormed()) {
            result = RmpReturnCode.FAIL_INPUT;
        } else if (state.pageSize() == PageSize.SIZE_2M
                && (!Geometry.isAligned(spa, PAGE_2M) || !host.isRam(PhysRange.ofSize(spa, PAGE_2M)))) {
            result = RmpReturnCode.FAIL_INPUT;
        } else {
            int region = (int) Geometry.regionIndex(spa);
            int page = pageInRegion(spa);
            long locked = lockOrInUse(region);
            if (locked == 0) {
                listener.onRmpUpdate(caller, spa, state, RmpReturnCode.FAIL_INUSE);
                return RmpReturnCode.FAIL_INUSE;
            }
            probe.reached();
            int assigned = RegionStates.assigned(locked);
            // A region that holds assigned pages has no bit on any table (I1), so only an update of
            // a clean region has anything to clear; see the class comment, "Clearing only clean regions".
            boolean clears = (clearOnEveryUpdate || state.assigned()) && assigned == 0;
            try {
                RegionEntries entries = region(region);
                result = state.pageSize() == PageSize.SIZE_4K ? check4k(entries, page) : check2m(entries, page >>> 9);
                if (result == RmpReturnCode.SUCCESS) {
                    // Clear before publishing: see the class comment (I1).
                    cleared = clears ? tables.clearRegion(region) : 0;
                    entries = createRegion(region, entries);
                    long code = EntryCode.of(state);
                    int delta;
                    if (state.pageSize() == PageSize.SIZE_4K) {
                        // A 4K update inside an unassigned 2M entry first makes the range 4K (check4k).
                        delta = entries.holds2M(page >>> 9) ? entries.setRange(page >>> 9, EntryCode.HYPERVISOR) : 0;
                        delta += entries.setPage(page, code);
                    } else {
                        delta = entries.setRange(page >>> 9, code);
                    }
                    assigned += delta;
                    probe.reached(); // cleared and changed, not yet published
                }
            } finally {
                regionStates.unlock(region, locked, assigned);
            }
            if (cleared > 0) {
                listener.onOptimizationCleared(region, ClearCause.RMPUPDATE, cleared);
            }
        }
        listener.onRmpUpdate(caller, spa, state, result);
        return result;
    }

    /** The region's word for RMPUPDATE or PSMASH: waited for, or with failInUse 0 if another CPU holds it. */
    private long lockOrInUse(int region) {
        return options.failInUse() ? regionStates.tryLock(region) : regionStates.lock(region);
    }

    /** A 4K RMPUPDATE: FAIL_PERMISSION over an immutable entry, FAIL_OVERLAP inside an assigned 2M one. */
    private static RmpReturnCode check4k(RegionEntries entries, int page) {
        long current = entries == null ? EntryCode.HYPERVISOR : entries.authoritative(page);
        if (EntryCode.isImmutable(current)) {
            return RmpReturnCode.FAIL_PERMISSION;
        }
        if (EntryCode.is2M(current) && EntryCode.isAssigned(current)) {
            return RmpReturnCode.FAIL_OVERLAP;
        }
        return RmpReturnCode.SUCCESS;
    }

    /**
     * A 2M RMPUPDATE: FAIL_PERMISSION if any page of the range is immutable, FAIL_OVERLAP if any
     * 4K entry of it is assigned (the reference checks raw entries; a 2M entry's other raw entries
     * are HYPERVISOR, so only 4K ones can overlap).
     */
    private static RmpReturnCode check2m(RegionEntries entries, int range) {
        if (entries == null) {
            return RmpReturnCode.SUCCESS;
        }
        if (entries.anyImmutable(range)) {
            return RmpReturnCode.FAIL_PERMISSION;
        }
        long shared = entries.rangeCode(range);
        boolean assigned4k = shared == EntryCode.MIXED
                ? entries.assignedInRange(range) > 0
                : !EntryCode.is2M(shared) && EntryCode.isAssigned(shared);
        return assigned4k ? RmpReturnCode.FAIL_OVERLAP : RmpReturnCode.SUCCESS;
    }

    /** PSMASH (model §4); its clear is empty by I1 (see the class comment); FAIL_INUSE as RMPUPDATE with failInUse. */
    @Override
    public RmpReturnCode psmash(Accessor caller, long spa) {
        Objects.requireNonNull(caller, "caller");
        requireSpa(spa);
        RmpReturnCode result;
        if (!(caller instanceof Accessor.Hypervisor)) {
            result = RmpReturnCode.FAIL_PERMISSION;
        } else if (!Geometry.isAligned(spa, PAGE_2M) || !ram.isRam(spa)) {
            result = RmpReturnCode.FAIL_INPUT;
        } else {
            int region = (int) Geometry.regionIndex(spa);
            int range = pageInRegion(spa) >>> 9;
            long locked = lockOrInUse(region);
            if (locked == 0) {
                listener.onPsmash(caller, spa, RmpReturnCode.FAIL_INUSE);
                return RmpReturnCode.FAIL_INUSE;
            }
            try {
                probe.reached();
                RegionEntries entries = region(region);
                if (entries == null || !entries.holds2M(range) || !EntryCode.isAssigned(entries.rangeCode(range))) {
                    result = RmpReturnCode.FAIL_NOT_EXPANDABLE;
                } else {
                    // The region holds the assigned 2M page, so no table holds its bit (I1): PSMASH's
                    // clear (model §4) has nothing to clear; see the class comment, "Clearing only clean regions".
                    entries.split(range);
                    result = RmpReturnCode.SUCCESS;
                }
            } finally {
                regionStates.unlock(region, locked, RegionStates.assigned(locked));
            }
        }
        listener.onPsmash(caller, spa, result);
        return result;
    }

    @Override
    public RmpReadResult rmpRead(long spa) {
        requireSpa(spa);
        if (!Geometry.isAligned(spa, PAGE_4K) || !ram.isRam(spa)) {
            return new RmpReadResult.Failed(RmpReturnCode.FAIL_INPUT);
        }
        return new RmpReadResult.Read(EntryCode.decode(readAuthoritative((int) Geometry.regionIndex(spa), pageInRegion(spa))));
    }

    /** PVALIDATE (model §4.7), with the reference's order: 6 for 2M over 4K, then the nested page faults. */
    @Override
    public PvalidateResult pvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated) {
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(size, "size");
        requireSpa(spa);
        PvalidateResult result;
        if (!Geometry.isAligned(spa, size.bytes()) || !ram.isRam(spa)) {
            result = PvalidateResult.failed(RmpReturnCode.FAIL_INPUT);
        } else {
            result = editPage(spa, (entries, page, entry) -> {
                PageSize entrySize = EntryCode.is2M(entry) ? PageSize.SIZE_2M : PageSize.SIZE_4K;
                if (size == PageSize.SIZE_2M && entrySize == PageSize.SIZE_4K) {
                    return PvalidateResult.failed(RmpReturnCode.FAIL_SIZEMISMATCH);
                }
                if (!EntryCode.isAssigned(entry) || EntryCode.asid(entry) != guest.asid() || EntryCode.isImmutable(entry)) {
                    return PvalidateResult.nestedPageFault(false);
                }
                if (entrySize != size) {
                    return PvalidateResult.nestedPageFault(true);
                }
                boolean noChange = ((entry & EntryCode.VALIDATED) != 0) == validated;
                setAuthoritative(entries, page, EntryCode.with(entry, EntryCode.VALIDATED, validated));
                return PvalidateResult.success(noChange);
            });
        }
        listener.onPvalidate(guest, spa, size, validated, result);
        return result;
    }

    /** A change to one page's authoritative entry, made with its region locked; returns the command's result. */
    @FunctionalInterface
    private interface EntryEdit<T> {
        T apply(RegionEntries entries, int page, long entry);
    }

    /**
     * Runs {@code edit} on the authoritative entry of the page at {@code spa} with its region's word
     * held, for PVALIDATE and the firmware commands: they change only fields of a page that is
     * assigned before and after (the firmware changes only assigned pages, model §4), so the region's
     * assigned count, and so its RMPOPT bits, stay as they are.
     */
    private <T> T editPage(long spa, EntryEdit<T> edit) {
        int region = (int) Geometry.regionIndex(spa);
        int page = pageInRegion(spa);
        long locked = regionStates.lock(region);
        try {
            probe.reached();
            RegionEntries entries = region(region);
            return edit.apply(entries, page, entries == null ? EntryCode.HYPERVISOR : entries.authoritative(page));
        } finally {
            regionStates.unlock(region, locked, RegionStates.assigned(locked));
        }
    }

    // ---------------------------------------------------------------- firmware (model §4)

    /**
     * SNP_INIT, atomic for every reader that validates against the region words: it holds every
     * region's write lock while it turns checks on, zeroes every table (I5: bits may have been set
     * before SNP_INIT, since RMPOPT_BASE can be programmed as soon as SnpEn is on) and marks the RMP
     * and firmware pages. Checks go on before the tables are cleared, so a write that finds its bit
     * already cleared also finds checks on (and waits for the region), never UNCHECKED after a
     * SKIPPED.
     */
    @Override
    public FirmwareStatus snpInit() {
        synchronized (firmware) {
            FirmwareStatus status;
            if (snpInitialized) {
                status = FirmwareStatus.INVALID_PLATFORM_STATE;
            } else {
                long[] locked = new long[regionCount];
                int[] assigned = new int[regionCount];
                for (int r = 0; r < regionCount; r++) {
                    locked[r] = regionStates.lock(r);
                    assigned[r] = RegionStates.assigned(locked[r]);
                }
                try {
                    probe.reached();
                    snpEn = true; // snp_prepare sets SnpEn on the way to SNP_INIT (model §4.8)
                    tables.clearAll();
                    for (PhysRange r : host.rmpTable()) {
                        setRange(r, EntryCode.FIRMWARE, assigned);
                    }
                    for (PhysRange r : host.firmwarePages()) {
                        setRange(r, EntryCode.FIRMWARE, assigned);
                    }
                    for (PhysRange r : host.hvFixedPages()) {
                        setRange(r, EntryCode.HV_FIXED, assigned);
                    }
                    snpInitialized = true;
                    probe.reached(); // tables zeroed and pages marked, not yet published
                } finally {
                    for (int r = regionCount - 1; r >= 0; r--) {
                        regionStates.unlock(r, locked[r], assigned[r]);
                    }
                }
                status = FirmwareStatus.SUCCESS;
                listener.onAllTablesCleared(ClearCause.SNP_INIT);
            }
            listener.onFirmwareCommand(FirmwareCommand.SNP_INIT, 0, 0, status);
            return status;
        }
    }

    @Override
    public boolean isSnpInitialized() {
        return snpInitialized;
    }

    @Override
    public FirmwareStatus launchStart(int asid, long contextPage) {
        synchronized (firmware) {
            FirmwareStatus status = guestCommandPrecheck(asid);
            if (status == FirmwareStatus.INVALID_GUEST) {
                status = FirmwareStatus.SUCCESS;
            } else if (status == FirmwareStatus.SUCCESS) {
                status = FirmwareStatus.ASID_OWNED;
            }
            if (status == FirmwareStatus.SUCCESS && !isUsablePage(contextPage)) {
                status = FirmwareStatus.INVALID_ADDRESS;
            }
            if (status == FirmwareStatus.SUCCESS) {
                status = editPage(contextPage, (entries, page, entry) -> {
                    if (EntryCode.decode(entry).state() != PageState.FIRMWARE || EntryCode.is2M(entry) || isReserved(contextPage)) {
                        return FirmwareStatus.INVALID_PAGE_STATE;
                    }
                    entries.setPage(page, entry | EntryCode.VMSA);
                    guestContexts.put(asid, contextPage);
                    return FirmwareStatus.SUCCESS;
                });
            }
            listener.onFirmwareCommand(FirmwareCommand.LAUNCH_START, asid, contextPage, status);
            return status;
        }
    }

    @Override
    public FirmwareStatus launchUpdate(int asid, long spa) {
        synchronized (firmware) {
            FirmwareStatus status = guestCommandPrecheck(asid);
            if (status == FirmwareStatus.SUCCESS && !isUsablePage(spa)) {
                status = FirmwareStatus.INVALID_ADDRESS;
            }
            if (status == FirmwareStatus.SUCCESS) {
                status = editPage(spa, (entries, page, entry) -> {
                    if (EntryCode.decode(entry).state() != PageState.PRE_GUEST) {
                        return FirmwareStatus.INVALID_PAGE_STATE;
                    }
                    if (EntryCode.asid(entry) != asid) {
                        return FirmwareStatus.INVALID_PAGE_OWNER;
                    }
                    setAuthoritative(entries, page, (entry & ~EntryCode.IMMUTABLE) | EntryCode.VALIDATED);
                    return FirmwareStatus.SUCCESS;
                });
            }
            listener.onFirmwareCommand(FirmwareCommand.LAUNCH_UPDATE, asid, spa, status);
            return status;
        }
    }

    @Override
    public FirmwareStatus decommission(int asid) {
        synchronized (firmware) {
            FirmwareStatus status = guestCommandPrecheck(asid);
            if (status == FirmwareStatus.SUCCESS) {
                long contextPage = guestContexts.remove(asid);
                // The context page is a 4K FIRMWARE page (launchStart's check), immutable since.
                editPage(contextPage, (entries, page, entry) -> {
                    entries.setPage(page, entry & ~EntryCode.VMSA);
                    return FirmwareStatus.SUCCESS;
                });
            }
            listener.onFirmwareCommand(FirmwareCommand.DECOMMISSION, asid, 0, status);
            return status;
        }
    }

    @Override
    public FirmwareStatus pageReclaim(long spa) {
        synchronized (firmware) {
            FirmwareStatus status = snpInitialized ? FirmwareStatus.SUCCESS : FirmwareStatus.INVALID_PLATFORM_STATE;
            if (status == FirmwareStatus.SUCCESS && !isUsablePage(spa)) {
                status = FirmwareStatus.INVALID_ADDRESS;
            }
            if (status == FirmwareStatus.SUCCESS) {
                status = editPage(spa, (entries, page, entry) -> {
                    RmpEntry decoded = EntryCode.decode(entry);
                    PageState state = decoded.state();
                    boolean reclaimable = (state == PageState.FIRMWARE && !isReserved(spa))
                            || ((state == PageState.PRE_GUEST || state == PageState.PRE_SWAP)
                                && !guestContexts.containsKey(decoded.asid()));
                    if (!reclaimable) {
                        return FirmwareStatus.INVALID_PAGE_STATE;
                    }
                    setAuthoritative(entries, page, EntryCode.ASSIGNED | (entry & EntryCode.SIZE_2M));
                    return FirmwareStatus.SUCCESS;
                });
            }
            listener.onFirmwareCommand(FirmwareCommand.PAGE_RECLAIM, 0, spa, status);
            return status;
        }
    }

    /**
     * SNP_SHUTDOWN_EX, as the reference: X86_SNP_SHUTDOWN clears SnpEn (checks off, RMPOPT #UD); the
     * legacy path leaves it set. No MSR and no table changes, so J and I1 hold as they did.
     */
    @Override
    public FirmwareStatus snpShutdown(ShutdownKind kind) {
        Objects.requireNonNull(kind, "kind");
        synchronized (firmware) {
            FirmwareStatus status;
            if (!snpInitialized || !guestContexts.isEmpty()) {
                status = FirmwareStatus.INVALID_PLATFORM_STATE;
            } else {
                probe.reached();
                if (kind == ShutdownKind.X86_SNP_SHUTDOWN) {
                    snpEn = false;
                }
                snpInitialized = false;
                status = FirmwareStatus.SUCCESS;
            }
            listener.onFirmwareCommand(kind.command(), 0, 0, status);
            return status;
        }
    }

    private FirmwareStatus guestCommandPrecheck(int asid) {
        if (!snpInitialized) {
            return FirmwareStatus.INVALID_PLATFORM_STATE;
        }
        if (asid < 1 || asid > RmpState.MAX_ASID) {
            return FirmwareStatus.INVALID_ASID;
        }
        return guestContexts.containsKey(asid) ? FirmwareStatus.SUCCESS : FirmwareStatus.INVALID_GUEST;
    }

    private boolean isUsablePage(long spa) {
        return spa >= 0 && Geometry.isAligned(spa, PAGE_4K) && ram.isRam(spa);
    }

    private boolean isReserved(long spa) {
        for (PhysRange r : reservedPages) {
            if (r.contains(spa)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- RMPOPT (model §4)

    /** WRMSR RMPOPT_BASE, with the reference's #GP rules; resets the core's table(s) before the MSR changes (J). */
    @Override
    public WrmsrResult wrmsrRmpoptBase(int cpu, long value) {
        int core = coreOf(cpu);
        WrmsrResult result;
        msrs.lock(core);
        try {
            probe.reached();
            if (!host.segmentedRmp()) {
                result = new WrmsrResult.GeneralProtection("RMPOPT_BASE can be written only while the segmented RMP is enabled");
            } else {
                RmpoptBase decoded = null;
                String error = null;
                try {
                    decoded = RmpoptBase.fromRaw(value);
                } catch (IllegalArgumentException e) {
                    error = e.getMessage();
                }
                if (decoded == null) {
                    result = new WrmsrResult.GeneralProtection(error);
                } else if (decoded.enabled() && !snpEn) {
                    result = new WrmsrResult.GeneralProtection("RMPOPT_EN can be set only while SNP is enabled (SYSCFG.SnpEn)");
                } else {
                    msrs.lockGlobal();
                    try {
                        resetTables(core);
                        probe.reached(); // table reset, MSR not yet changed
                        msrs.set(core, decoded.raw());
                    } finally {
                        msrs.unlockGlobal();
                    }
                    result = WrmsrResult.WRITTEN;
                }
            }
        } finally {
            msrs.unlock(core);
        }
        listener.onRmpoptBaseWrite(cpu, value, result);
        return result;
    }

    /** Clears {@code core}'s table(s) over its current window, the only regions J lets hold bits; caller holds the core. */
    private void resetTables(int core) {
        long raw = msrs.raw(core);
        if ((raw & RmpoptBase.ENABLE) == 0) {
            return;
        }
        long first = Geometry.regionIndex(raw & -REGION_1G);
        if (first >= regionCount) {
            return;
        }
        long end = Math.min(regionCount, first + options.windowRegions());
        tables.clearTables(slotsOfCore[core], (int) first, (int) end);
    }

    @Override
    public RmpoptBase rdmsrRmpoptBase(int cpu) {
        int core = coreOf(cpu);
        for (;;) {
            long s = msrs.beginRead(core);
            long raw = msrs.raw(core);
            if (msrs.validate(core, s)) {
                return CoreMsrs.decode(raw);
            }
        }
    }

    /**
     * RMPOPT, lock-free (see the class comment). #UD when the core's RMPOPT_BASE is not enabled;
     * CF=0 and no change outside the window; VERIFY in O(1) from the region's assigned-page count;
     * a region not entirely inside RMP coverage never verifies (the reference's [M] rules).
     */
    @Override
    public RmpoptResult rmpopt(int cpu, long spa, RmpoptFunction function) {
        Objects.requireNonNull(function, "function");
        int core = coreOf(cpu);
        requireSpa(spa);
        long regionBase = Geometry.alignDown(spa, REGION_1G);
        long regionIndex = Geometry.regionIndex(spa);
        long slot = slotOfCpu[cpu];
        RmpoptResult result;
        for (int spins = 0;; spins++) {
            long s = msrs.beginRead(core);
            long raw = msrs.raw(core);
            probe.reached();
            long offset = regionBase - (raw & -REGION_1G);
            if ((raw & RmpoptBase.ENABLE) == 0 || !snpEn) {
                result = RmpoptResult.UD;
            } else if (offset < 0 || offset >= windowBytes) {
                result = RmpoptResult.CARRY_CLEAR;
            } else if (function == RmpoptFunction.REPORT_STATUS) {
                if (regionIndex >= regionCount) {
                    result = RmpoptResult.CARRY_CLEAR;
                } else {
                    // validated against the region's word, so a clear that spans several words of the
                    // row (RMPUPDATE, PSMASH, SNP_INIT hold the region) is seen whole or not at all
                    int region = (int) regionIndex;
                    long state = regionStates.read(region);
                    probe.reached();
                    boolean set = !RegionStates.isLocked(state) && tables.isSet(region, slot);
                    if (RegionStates.isLocked(state) || !regionStates.validate(region, state)) {
                        Spin.pause(spins);
                        continue;
                    }
                    result = RmpoptResult.carry(set);
                }
            } else if (regionIndex >= coveredRegions) {
                result = RmpoptResult.CARRY_CLEAR;
            } else {
                result = verify(core, s, (int) regionIndex, slot);
                if (result == null) {
                    Spin.pause(spins);
                    continue;
                }
                break;
            }
            if (msrs.validate(core, s)) {
                break;
            }
        }
        listener.onRmpopt(cpu, regionBase, function, result);
        return result;
    }

    /**
     * One attempt at VERIFY_AND_REPORT_STATUS of an in-window, covered region on a core whose MSR
     * read began at sequence {@code s}: the result, or null if a writer interfered and the caller
     * must retry.
     */
    private RmpoptResult verify(int core, long s, int region, long slot) {
        int index = region * wordsPerRegion + (int) (slot >>> 32);
        long word = (long) LONG.getAcquire(tableWords, index);
        long state = (long) LONG.getAcquire(regionWords, region);
        probe.reached(); // read, not yet validated or set
        if (RegionStates.isLocked(state) || !msrs.validate(core, s)) {
            return null;
        }
        if (RegionStates.assigned(state) > 0) {
            return RmpoptResult.CARRY_CLEAR;
        }
        if ((word & (1L << slot)) != 0) {
            // Already set: set throughout, since the word did not change (versions), and the region was clean.
            return (long) LONG.getAcquire(tableWords, index) == word ? RmpoptResult.CARRY_SET : null;
        }
        return tables.trySet(index, word, slot) ? RmpoptResult.CARRY_SET : null;
    }

    /**
     * One IPI round in O(CPUs / 64) word operations: every MSR from {@link CoreMsrs#groups} under the
     * global MSR sequence, then, per word of the region's table row, one read, one state read and one
     * CAS for all the round's tables in that word (see the class comment, "Rounds"). Reports one
     * {@link RmpEventListener#onRmpoptRound}.
     */
    @Override
    public RmpoptResults rmpoptOnCpus(CpuMask cpus, long spa, RmpoptFunction function) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(cpus, "cpus");
        if (cpus.length() > slotOfCpu.length) {
            topology.coreOf(cpus.length() - 1); // throws, with the reference's message
        }
        requireSpa(spa);
        long regionBase = Geometry.alignDown(spa, REGION_1G);
        long regionIndex = Geometry.regionIndex(spa);
        long[] remaining = new long[cpuWords];
        for (int i = 0; i < cpus.wordCount(); i++) {
            remaining[i] = cpus.word(i);
        }
        long[] carry = new long[cpuWords];
        long[] ud = new long[cpuWords];
        for (int spins = 0; !BitWords.isEmpty(remaining); spins++) {
            long g = msrs.beginRound();
            CpuGroups groups = cpuGroups(msrs.groups());
            boolean on = snpEn; // while SnpEn is clear every CPU raises #UD, as a single RMPOPT does (model §4.8)
            long[] enabled = on ? groups.enabled : new long[cpuWords];
            long[] inWindow = on ? groups.inWindow(regionBase, windowBytes) : new long[cpuWords];
            probe.reached();
            if (!msrs.validateRound(g)) {
                Spin.pause(spins);
                continue;
            }
            // #UD and outside the window: decided by the MSRs alone, final at the validated read
            for (int i = 0; i < cpuWords; i++) {
                ud[i] |= remaining[i] & ~enabled[i];
                remaining[i] &= inWindow[i];
            }
            if (BitWords.isEmpty(remaining)) {
                break;
            }
            boolean report = function == RmpoptFunction.REPORT_STATUS;
            if (regionIndex >= (report ? regionCount : coveredRegions)) {
                break; // CF=0 for all: beyond the tables, or (VERIFY) not wholly RAM [M]
            }
            boolean done = report ? reportRound(g, (int) regionIndex, remaining, carry)
                    : verifyRound(g, (int) regionIndex, remaining, carry);
            if (!done) {
                Spin.pause(spins);
            }
        }
        RmpoptResults results = new RmpoptResults(cpus, carry, ud);
        listener.onRmpoptRound(cpus, regionBase, function, results);
        return results;
    }

    /** The last MSR groups seen, as CPU words; replaced when a WRMSR publishes new groups (benign race). */
    private volatile CpuGroups cpuGroups;

    private CpuGroups cpuGroups(CoreMsrs.Groups groups) {
        CpuGroups c = cpuGroups;
        if (c == null || c.groups != groups) {
            c = new CpuGroups(groups, coreCount, threads, cpuWords);
            cpuGroups = c;
        }
        return c;
    }

    /**
     * {@link CoreMsrs.Groups} in CPU words: per distinct MSR value, the CPUs of its cores, and every CPU
     * whose core has RMPOPT enabled. Built once per WRMSR-published groups, in O(values x CPUs / 64),
     * so a round classifies its CPUs with no per-round shifting. Immutable.
     */
    private static final class CpuGroups {
        final CoreMsrs.Groups groups;
        /** Enabled values only, with their CPUs. */
        final long[] raws;
        final long[][] cpus;
        final long[] enabled;

        CpuGroups(CoreMsrs.Groups groups, int coreCount, int threads, int cpuWords) {
            this.groups = groups;
            long[] values = groups.values();
            int n = 0;
            for (long v : values) {
                n += (v & RmpoptBase.ENABLE) != 0 ? 1 : 0;
            }
            raws = new long[n];
            cpus = new long[n][];
            enabled = new long[cpuWords];
            int k = 0;
            for (int g = 0; g < values.length; g++) {
                if ((values[g] & RmpoptBase.ENABLE) == 0) {
                    continue;
                }
                long[] c = new long[cpuWords];
                BitWords.coresToCpus(groups.cores()[g], coreCount, threads, c);
                for (int i = 0; i < cpuWords; i++) {
                    enabled[i] |= c[i];
                }
                raws[k] = values[g];
                cpus[k++] = c;
            }
        }

        /** The CPUs whose window holds {@code regionBase}: one group's array itself when only one does. */
        long[] inWindow(long regionBase, long windowBytes) {
            long[] only = null;
            long[] merged = null;
            for (int g = 0; g < raws.length; g++) {
                long offset = regionBase - (raws[g] & -REGION_1G);
                if (offset < 0 || offset >= windowBytes) {
                    continue;
                }
                if (only == null) {
                    only = cpus[g];
                } else {
                    if (merged == null) {
                        merged = only.clone();
                    }
                    for (int i = 0; i < merged.length; i++) {
                        merged[i] |= cpus[g][i];
                    }
                }
            }
            return merged != null ? merged : only != null ? only : new long[enabled.length];
        }
    }

    /** The tables (cores, or CPUs) of {@code cpus}, as 64-bit words. */
    private long[] unitsOf(long[] cpus) {
        if (!perCore) {
            return cpus.clone();
        }
        long[] cores = new long[coreWords];
        BitWords.cpusToCores(cpus, coreCount, threads, cores);
        return cores;
    }

    /** The CPUs of {@code targets} whose table is in {@code units}. */
    private void carryOf(long[] units, long[] targets, long[] carry) {
        long[] cpus = units;
        if (perCore) {
            cpus = new long[cpuWords];
            BitWords.coresToCpus(units, coreCount, threads, cpus);
        }
        for (int i = 0; i < cpuWords; i++) {
            carry[i] |= targets[i] & cpus[i];
        }
    }

    /** Row word {@code k}'s share (32 tables) of {@code units}. */
    private static long chunk(long[] units, int k) {
        int w = k >> 1;
        return w < units.length ? (units[w] >>> ((k & 1) << 5)) & 0xFFFF_FFFFL : 0;
    }

    private static void orChunk(long[] units, int k, long bits) {
        units[k >> 1] |= bits << ((k & 1) << 5);
    }

    /**
     * REPORT_STATUS of a covered region on {@code targets} (all enabled, region in window): the row's
     * bits read between two reads of the region's word, as the single path does; true when done
     * (targets emptied, carry set), false to retry.
     */
    private boolean reportRound(long g, int region, long[] targets, long[] carry) {
        long state = regionStates.read(region);
        if (RegionStates.isLocked(state)) {
            return false;
        }
        probe.reached();
        long[] units = unitsOf(targets);
        long[] set = new long[units.length];
        int row = region * wordsPerRegion;
        for (int k = 0; k < wordsPerRegion; k++) {
            long bits = chunk(units, k);
            if (bits != 0) {
                orChunk(set, k, (long) LONG.getAcquire(tableWords, row + k) & bits);
                probe.reached();
            }
        }
        if (!regionStates.validate(region, state) || !msrs.validateRound(g)) {
            return false;
        }
        carryOf(set, targets, carry);
        Arrays.fill(targets, 0);
        return true;
    }

    /**
     * VERIFY of a covered region on {@code targets} (all enabled, region in window), one row word at a
     * time: the word, then the region's state, the MSRs validated, then one CAS for the word's tables
     * (the single path's steps, for 32 tables at once). A word done is final; on interference the
     * targets of the words not yet done stay in {@code targets} and the caller retries them.
     */
    private boolean verifyRound(long g, int region, long[] targets, long[] carry) {
        long[] units = unitsOf(targets);
        long[] done = new long[units.length];
        long[] set = new long[units.length];
        int row = region * wordsPerRegion;
        boolean complete = true;
        words:
        for (int k = 0; k < wordsPerRegion; k++) {
            long bits = chunk(units, k);
            if (bits == 0) {
                continue;
            }
            int index = row + k;
            for (;;) {
                long word = (long) LONG.getAcquire(tableWords, index);
                long state = (long) LONG.getAcquire(regionWords, region);
                probe.reached(); // this word read, not yet validated or set
                if (RegionStates.isLocked(state) || !msrs.validateRound(g)) {
                    complete = false;
                    break words;
                }
                if (RegionStates.assigned(state) > 0) {
                    orChunk(done, k, bits);
                    break;
                }
                if ((word & bits) == bits) {
                    // already set: set throughout if the word did not change
                    if ((long) LONG.getAcquire(tableWords, index) != word) {
                        continue;
                    }
                } else if (!tables.trySetBits(index, word, bits)) {
                    continue; // cleared since read: read again
                }
                orChunk(done, k, bits);
                orChunk(set, k, bits);
                break;
            }
        }
        carryOf(set, targets, carry);
        if (complete) {
            Arrays.fill(targets, 0);
            return true;
        }
        long[] finished = new long[cpuWords];
        carryOf(done, targets, finished);
        for (int i = 0; i < cpuWords; i++) {
            targets[i] &= ~finished[i];
        }
        return false;
    }

    // ---------------------------------------------------------------- accesses (model §5)

    /**
     * One access. The fast path (a host-side write whose core holds the region's bit) is one bit
     * test: J makes "bit set" imply "enabled and in the window", and a set bit is SKIPPED whether
     * or not checks are on yet, as in the reference (the bit is consulted first).
     *
     * <p>One relaxation, harmless to every outcome: while a WRMSR clears a core's
     * bits word by word, that core's writes to a region already cleared are checked while writes to
     * one not yet cleared still skip. Either way the write is allowed or faulted as the RMP decides
     * (I2); only the skipped/checked accounting of such a write differs from an atomic reset.
     */
    @Override
    public AccessOutcome access(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) {
        long[] slots = slotOfCpu;
        long region = spa >>> 30;
        byte[] kinds = ramKinds;
        // One branch for every refusal (null, no such CPU, not all-RAM region); the refusals
        // themselves, in the reference's order and with its messages, are off the hot path, which
        // keeps this method small enough for the JIT to inline into its callers (BENCHMARKS.md).
        if (accessor == null || kind == null || mapping == null || cpu < 0 || cpu >= slots.length
                || region >= kinds.length || kinds[(int) region] != RamMap.FULL) {
            refuseOrPartial(cpu, accessor, kind, spa, mapping);
        }
        long slot = slots[cpu];
        AccessOutcome outcome;
        if (kind == AccessKind.WRITE && !(accessor instanceof Accessor.SnpGuest) && !(accessor instanceof Accessor.SnpGuestView)
                && ((long) LONG.getAcquire(tableWords, (int) region * wordsPerRegion + (int) (slot >>> 32)) & (1L << slot)) != 0) {
            outcome = AccessOutcome.SKIPPED;
        } else {
            outcome = checkedAccess(slot, accessor, kind, spa, mapping);
        }
        listener.onAccess(cpu, accessor, kind, spa, mapping, outcome);
        return outcome;
    }

    /** {@link #access} with {@code WRITE}, so that callers reach the fast path without the SPI's default method in between. */
    @Override
    public AccessOutcome write(int cpu, Accessor accessor, long spa, MappingSize mapping) {
        return access(cpu, accessor, AccessKind.WRITE, spa, mapping);
    }

    /** {@link #access} with {@code READ}; see {@link #write}. */
    @Override
    public AccessOutcome read(int cpu, Accessor accessor, long spa, MappingSize mapping) {
        return access(cpu, accessor, AccessKind.READ, spa, mapping);
    }

    /**
     * The argument checks of {@link #access} in the reference's order: throws for a null argument,
     * a CPU that does not exist, or an address that is not RAM; returns for RAM in a region that is
     * only partly RAM (the fast test's one false alarm).
     */
    private void refuseOrPartial(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) {
        if (accessor == null || kind == null || mapping == null) {
            throw nullArgument(accessor, kind);
        }
        if (cpu < 0 || cpu >= slotOfCpu.length) {
            topology.coreOf(cpu); // throws, with the reference's message
        }
        if (!ram.isRam(spa)) {
            throw new IllegalArgumentException("no RAM at " + hex(spa) + " on this host");
        }
    }

    /** The reference's decision, reading the RMP optimistically, with the bit read again inside the validated window. */
    private AccessOutcome checkedAccess(long slot, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) {
        if (!snpEn) {
            return AccessOutcome.UNCHECKED;
        }
        // SNP guests never use RMPOPT; a private (C=1) access gets the guest rule, a shared (C=0) one
        // the hypervisor-owned check, as in the reference (model §5.4)
        if (accessor instanceof Accessor.SnpGuest || accessor instanceof Accessor.SnpGuestView) {
            return guestAccess(slot, accessor, kind, spa, mapping);
        }
        return kind == AccessKind.READ ? AccessOutcome.UNCHECKED : hostWriteCheck(slot, accessor, spa, mapping);
    }

    /**
     * A host-side write (hypervisor or non-SNP guest) whose bit was clear: the hypervisor-owned
     * check (model §5.3) on a validated read. A region whose published count is 0 holds no
     * assigned entry, so the answer is CHECKED without reading its entries: the window then holds
     * only the bit (read again, as on every checked path) between the state read and its
     * validation, and the write linearizes at that bit load, as below.
     */
    private AccessOutcome hostWriteCheck(long slot, Accessor accessor, long spa, MappingSize mapping) {
        int region = (int) (spa >>> 30);
        long[] states = regionWords;
        long[] words = tableWords;
        int bitIndex = region * wordsPerRegion + (int) (slot >>> 32);
        for (int spins = 0;; spins++) {
            long state = (long) LONG.getAcquire(states, region);
            if (!RegionStates.isLocked(state)) {
                probe.reached();
                if (((long) LONG.getAcquire(words, bitIndex) & (1L << slot)) != 0) {
                    return AccessOutcome.SKIPPED;
                }
                boolean blocked = false;
                if (RegionStates.assigned(state) != 0) {
                    RegionEntries entries = region(region);
                    if (entries != null) {
                        int page = pageInRegion(spa);
                        blocked = mapping != MappingSize.SIZE_4K ? entries.assignedInRange(page >>> 9) > 0
                                : EntryCode.isAssigned(entries.authoritative(page));
                    }
                }
                probe.reached();
                VarHandle.acquireFence();
                if ((long) LONG.getAcquire(states, region) == state) {
                    return blocked ? RmpFault.of(accessor, AccessKind.WRITE) : AccessOutcome.CHECKED;
                }
            }
            Spin.pause(spins);
        }
    }

    /** An SNP guest's access, private or shared (model §5.4): the window as in {@link #hostWriteCheck}, the entry always read. */
    private AccessOutcome guestAccess(long slot, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) {
        boolean guest = !(accessor instanceof Accessor.SnpGuestView view && !view.encrypted());
        if (!guest && kind == AccessKind.READ) {
            return AccessOutcome.UNCHECKED;
        }
        int region = (int) Geometry.regionIndex(spa);
        int page = pageInRegion(spa);
        boolean wide = !guest && mapping != MappingSize.SIZE_4K;
        for (int spins = 0;; spins++) {
            long state = regionStates.read(region);
            if (!RegionStates.isLocked(state)) {
                probe.reached();
                RegionEntries entries = region(region);
                long entry = 0;
                int assignedInRange = 0;
                if (entries != null) {
                    if (wide) {
                        assignedInRange = entries.assignedInRange(page >>> 9);
                    } else {
                        entry = entries.authoritative(page);
                    }
                }
                if (regionStates.validate(region, state)) {
                    if (guest) {
                        return privateAccess(accessor, kind, entry, page, mapping);
                    }
                    boolean blocked = wide ? assignedInRange > 0 : EntryCode.isAssigned(entry);
                    return blocked ? RmpFault.of(accessor, kind) : AccessOutcome.CHECKED;
                }
            }
            Spin.pause(spins);
        }
    }

    /** The reference's private rule (model §5.4) on a validated read of the page's authoritative entry. */
    private static AccessOutcome privateAccess(Accessor accessor, AccessKind kind, long entry, int page, MappingSize mapping) {
        Accessor.SnpGuestView view = accessor instanceof Accessor.SnpGuestView v ? v : null;
        int asid = view != null ? view.asid() : ((Accessor.SnpGuest) accessor).asid();
        boolean large = EntryCode.is2M(entry);
        long gpaOfPage = EntryCode.gpa(entry) + (large ? (long) (page & (PAGES_PER_2M - 1)) * PAGE_4K : 0);
        boolean own = EntryCode.isAssigned(entry) && EntryCode.asid(entry) == asid && !EntryCode.isImmutable(entry)
                && (view == null || gpaOfPage == Geometry.alignDown(view.gpa(), PAGE_4K));
        if (!own) {
            return RmpFault.of(accessor, kind);
        }
        if (mapping != MappingSize.SIZE_4K && !large) {
            return new RmpFault.NestedPageFault(RmpFault.of(accessor, kind).errorCode() | RmpFault.NPF_SIZEM);
        }
        return (entry & EntryCode.VALIDATED) != 0 ? AccessOutcome.CHECKED : AccessOutcome.VC_PAGE_NOT_VALIDATED;
    }

    // ---------------------------------------------------------------- entries

    private RegionEntries region(int region) {
        return (RegionEntries) REGION.getAcquire(regions, region);
    }

    /** The region's entries, created and published if it had none; caller holds its write lock. */
    private RegionEntries createRegion(int region, RegionEntries entries) {
        if (entries != null) {
            return entries;
        }
        RegionEntries created = new RegionEntries();
        REGION.setRelease(regions, region, created);
        return created;
    }

    /** Writes {@code code} as the authoritative entry of {@code page}: the range's code for a 2M entry. */
    private static void setAuthoritative(RegionEntries entries, int page, long code) {
        if (EntryCode.is2M(code)) {
            entries.setRange(page >>> 9, code);
        } else {
            entries.setPage(page, code);
        }
    }

    /** The authoritative entry of a page, read optimistically. */
    private long readAuthoritative(int region, int page) {
        for (;;) {
            long state = regionStates.beginRead(region);
            probe.reached();
            RegionEntries entries = region(region);
            long code = entries == null ? EntryCode.HYPERVISOR : entries.authoritative(page);
            if (regionStates.validate(region, state)) {
                return code;
            }
        }
    }

    /** Writes 4K {@code code} to every page of {@code range}; the caller holds every region lock (SNP_INIT). */
    private void setRange(PhysRange range, long code, int[] assigned) {
        long first = Geometry.pfn(range.start());
        long end = Geometry.pfn(range.end());
        long pfn = first;
        while (pfn < end) {
            long rangeBase = pfn & -PAGES_PER_2M;
            long rangeEnd = Math.min(end, rangeBase + PAGES_PER_2M);
            int region = (int) (pfn / PAGES_PER_REGION);
            RegionEntries entries = createRegion(region, region(region));
            int delta = entries.setPages((int) ((rangeBase % PAGES_PER_REGION) >>> 9),
                    (int) (pfn - rangeBase), (int) (rangeEnd - rangeBase), code);
            assigned[region] += delta;
            pfn = rangeEnd;
        }
    }

    /** The region words, for tests that play another CPU holding a region (FAIL_INUSE). */
    RegionStates regionStatesForTest() {
        return regionStates;
    }

    /** Allocated 4K detail arrays and region objects, for footprint tests. */
    int[] footprint() {
        int regionObjects = 0;
        int detailArrays = 0;
        for (int r = 0; r < regionCount; r++) {
            RegionEntries e = region(r);
            if (e != null) {
                regionObjects++;
                detailArrays += e.detailArrays();
            }
        }
        return new int[] {regionObjects, detailArrays};
    }

    /** {@code cpu}'s core by table lookup (CpuTopology divides); the topology's exception for a CPU that does not exist. */
    private int coreOf(int cpu) {
        int[] cores = coreOfCpu;
        if (cpu < 0 || cpu >= cores.length) {
            return topology.coreOf(cpu);
        }
        return cores[cpu];
    }

    private static int pageInRegion(long spa) {
        return (int) (Geometry.pfn(spa) & (PAGES_PER_REGION - 1));
    }

    /** The SPI's exception for a null argument of {@link #access}, built off the fast path. */
    private static NullPointerException nullArgument(Accessor accessor, AccessKind kind) {
        return new NullPointerException(accessor == null ? "accessor" : kind == null ? "kind" : "mapping");
    }

    private static void requireSpa(long spa) {
        if (spa < 0) {
            throw new IllegalArgumentException("not a system physical address: " + spa);
        }
    }
}
