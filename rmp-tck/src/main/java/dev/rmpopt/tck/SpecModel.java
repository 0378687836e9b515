package dev.rmpopt.tck;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.ClearPolicy;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PageState;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.PvalidateResult;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpFault;
import dev.rmpopt.api.RmpReadResult;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.ShutdownKind;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The kit's own, independent model of model §3-§5: the oracle every backend is compared with, step by
 * step. It shares no code with any backend; its state is deliberately plain (a sorted map of the
 * entries that differ from HYPERVISOR, a count of assigned entries per 1 GiB region, one bit set
 * per RMPOPT table, one MSR per core) so that a reader can check it against the model document line by line.
 *
 * <p>It implements {@link SnpMachine} so that one {@link Step} runs on the model and on the
 * backend alike. It is single-threaded and ignores listeners. The [M] rules it follows are the
 * project's documented modelling choices; the comments cite the model section each one refines.
 */
final class SpecModel implements SnpMachine {

    private final HostDescription host;
    private final ModelOptions options;
    private final CpuTopology topology;
    /** Entries that are not {@link RmpEntry#HYPERVISOR}, by PFN (model §3: every page starts HYPERVISOR). */
    private final TreeMap<Long, RmpEntry> entries = new TreeMap<>();
    /** Stored entries with A=1 per 1 GiB region; a 2M entry counts once (I1 only needs "any"). */
    private final long[] assignedEntriesPerRegion;
    /** One bit set per table: per core, or per logical CPU (model §4 table scope). */
    private final BitSet[] tables;
    /** RMPOPT_BASE per physical core (model §4: the MSR is per core). */
    private final RmpoptBase[] msrs;
    /** Live guest contexts: ASID to context page SPA. */
    private final Map<Integer, Long> guests = new TreeMap<>();
    private boolean initialized;
    /** SYSCFG.SnpEn per physical core (model §4.8): RMP checks, enabling RMPOPT_BASE and RMPOPT need it. */
    private final boolean[] snpEn;

    SpecModel(HostDescription host, ModelOptions options) {
        this.host = host;
        this.options = options;
        this.topology = host.topology();
        this.assignedEntriesPerRegion = new long[(int) host.regionCount()];
        int tableCount = options.tableScope() == RmpoptTableScope.PER_CORE ? topology.coreCount() : topology.cpuCount();
        this.tables = new BitSet[tableCount];
        for (int i = 0; i < tableCount; i++) {
            tables[i] = new BitSet();
        }
        this.msrs = new RmpoptBase[topology.coreCount()];
        Arrays.fill(msrs, RmpoptBase.DISABLED);
        this.snpEn = new boolean[topology.coreCount()];
        Arrays.fill(snpEn, options.snpEnabledAtPowerOn()); // model §4.2: clear at power-on unless the option
    }

    // ---------------------------------------------------------------- inspection for the checker

    /** The table {@code cpu} uses: its core's, or its own under PER_LOGICAL_CPU. */
    int tableOf(int cpu) {
        return options.tableScope() == RmpoptTableScope.PER_CORE ? topology.coreOf(cpu) : cpu;
    }

    /** The model's bit of {@code region} on {@code cpu}'s table. */
    boolean bit(int cpu, long region) {
        return region < assignedEntriesPerRegion.length && tables[tableOf(cpu)].get((int) region);
    }

    /** How many tables hold the bit of {@code region}. */
    int tablesHolding(long region) {
        if (region < 0 || region >= assignedEntriesPerRegion.length) {
            return 0;
        }
        int n = 0;
        for (BitSet t : tables) {
            if (t.get((int) region)) {
                n++;
            }
        }
        return n;
    }

    /** Whether the table that {@code cpu} uses lies on {@code cpu}'s core (always, per core; per CPU, its own). */
    boolean sharesTable(int cpu, int other) {
        return tableOf(cpu) == tableOf(other);
    }

    /** Per region whose bit some table holds: how many tables hold it. */
    Map<Long, Integer> bitsPerRegion() {
        Map<Long, Integer> out = new TreeMap<>();
        for (BitSet t : tables) {
            for (int r = t.nextSetBit(0); r >= 0; r = t.nextSetBit(r + 1)) {
                out.merge((long) r, 1, Integer::sum);
            }
        }
        return out;
    }

    /** Whether any table holds any bit. */
    boolean anyBit() {
        for (BitSet t : tables) {
            if (!t.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Forgets a bit the backend dropped on its own (clearing more than needed is safe, model §6). */
    void forgetBit(int cpu, long region) {
        if (region < assignedEntriesPerRegion.length) {
            tables[tableOf(cpu)].clear((int) region);
        }
    }

    /** Whether any page of {@code region} is assigned. */
    boolean regionHoldsAssignedPage(long region) {
        return region < assignedEntriesPerRegion.length && assignedEntriesPerRegion[(int) region] > 0;
    }

    /** Whether VERIFY would find the region clean: inside RMP coverage and no assigned page (model §4). */
    boolean regionVerifiable(long region) {
        return Geometry.regionBase(region) + Geometry.REGION_1G <= host.ramEnd() && !regionHoldsAssignedPage(region);
    }

    /** Whether {@code cpu}'s core has RMPOPT enabled. */
    boolean rmpoptEnabled(int cpu) {
        return msrs[topology.coreOf(cpu)].enabled();
    }

    /** Whether RMPOPT on {@code cpu} completes rather than raising #UD: its MSR enabled and its SnpEn set (model §4.3). */
    boolean rmpoptUsable(int cpu) {
        return rmpoptEnabled(cpu) && snpEn[topology.coreOf(cpu)];
    }

    /** Whether {@code region} lies in the window of {@code cpu}'s core. */
    boolean inWindow(int cpu, long region) {
        long base = Geometry.regionIndex(msrs[topology.coreOf(cpu)].base());
        return region >= base && region - base < options.windowRegions();
    }

    /** Regions in {@code cpu}'s window that lie below the top of the RMP's coverage (where bits can live). */
    List<Long> coveredWindowRegions(int cpu) {
        List<Long> out = new ArrayList<>();
        long base = Geometry.regionIndex(msrs[topology.coreOf(cpu)].base());
        for (long r = base; r < base + options.windowRegions() && r < assignedEntriesPerRegion.length; r++) {
            out.add(r);
        }
        return out;
    }

    /** Whether any page in PFNs {@code [from, to)} has an assigned stored entry. */
    boolean anyAssignedIn(long fromPfn, long toPfn) {
        return entries.subMap(fromPfn, toPfn).values().stream().anyMatch(RmpEntry::assigned);
    }

    /**
     * The assigned 4 KiB pages of {@code regionIndex} (a 2M entry counting 512) and the index of the
     * first, or -1: what {@link SnpMachine#assignedPages} and {@link SnpMachine#firstAssignedPage}
     * define through RMPREAD (model §3), computed from the stored entries so the kit can ask after
     * every step. {@code SpecModelTest} holds it to the SPI's RMPREAD-scan defaults.
     */
    private long[] assignedIn(long regionIndex) {
        if (regionIndex < 0 || regionIndex >= host.regionCount()) {
            throw new IllegalArgumentException("region " + regionIndex + " is not one of the host's " + host.regionCount());
        }
        long basePfn = regionIndex * Geometry.PAGES_PER_REGION;
        long endPfn = Math.min(basePfn + Geometry.PAGES_PER_REGION, Geometry.pfn(host.ramEnd()));
        long count = 0;
        long first = -1;
        for (Map.Entry<Long, RmpEntry> e : entries.subMap(basePfn, endPfn).entrySet()) {
            long pfn = e.getKey();
            long head = pfn & ~(Geometry.PAGES_PER_2M - 1L);
            boolean in2M = stored(head).pageSize() == PageSize.SIZE_2M;
            if (!e.getValue().assigned() || (in2M && pfn != head)) {
                continue; // a 2M entry speaks for its 512 pages; what is stored under it is not read
            }
            count += in2M ? Geometry.PAGES_PER_2M : 1;
            first = first < 0 ? pfn - basePfn : first;
        }
        return new long[] {count, first};
    }

    @Override
    public long assignedPages(long regionIndex) {
        return assignedIn(regionIndex)[0];
    }

    @Override
    public long firstAssignedPage(long regionIndex) {
        return assignedIn(regionIndex)[1];
    }

    /** Live guest ASIDs. */
    List<Integer> liveGuests() {
        return List.copyOf(guests.keySet());
    }

    /** The authoritative entry of {@code pfn} (model §3: a 2M entry speaks for its 512 pages). */
    RmpEntry authoritative(long pfn) {
        RmpEntry base = stored(pfn & ~(Geometry.PAGES_PER_2M - 1L));
        return base.pageSize() == PageSize.SIZE_2M ? base : stored(pfn);
    }

    private RmpEntry stored(long pfn) {
        return entries.getOrDefault(pfn, RmpEntry.HYPERVISOR);
    }

    private void store(long pfn, RmpEntry entry) {
        RmpEntry old = stored(pfn);
        int region = (int) (pfn / Geometry.PAGES_PER_REGION);
        if (old.assigned()) {
            assignedEntriesPerRegion[region]--;
        }
        if (entry.assigned()) {
            assignedEntriesPerRegion[region]++;
        }
        if (entry.equals(RmpEntry.HYPERVISOR)) {
            entries.remove(pfn);
        } else {
            entries.put(pfn, entry);
        }
    }

    /** Writes {@code entry} as the authoritative entry of {@code pfn}, wherever that lives. */
    private void storeAuthoritative(long pfn, RmpEntry entry) {
        long base = pfn & ~(Geometry.PAGES_PER_2M - 1L);
        store(stored(base).pageSize() == PageSize.SIZE_2M ? base : pfn, entry);
    }

    private void clearRegionEverywhere(long region) {
        if (region < assignedEntriesPerRegion.length) {
            for (BitSet t : tables) {
                t.clear((int) region);
            }
        }
    }

    private void clearAllTables() {
        for (BitSet t : tables) {
            t.clear();
        }
    }

    private boolean isRam2M(long base) {
        return host.isRam(PhysRange.ofSize(base, Geometry.PAGE_2M));
    }

    // ---------------------------------------------------------------- SnpMachine

    @Override
    public HostDescription host() {
        return host;
    }

    @Override
    public ModelOptions options() {
        return options;
    }

    /** model §5.5: checks are on exactly while SnpEn is, and every core's SnpEn changes together. */
    @Override
    public boolean rmpChecksEnabled() {
        return snpEn[0];
    }

    @Override
    public boolean snpEnabled(int cpu) {
        requireCpu(cpu);
        return snpEn[topology.coreOf(cpu)];
    }

    @Override
    public boolean isSnpInitialized() {
        return initialized;
    }

    /** model §4 RMPUPDATE with the [M] rules of the project (see the class comment of ReverseMapTable). */
    @Override
    public RmpReturnCode rmpUpdate(Accessor caller, long spa, RmpState state) {
        Objects.requireNonNull(caller, "caller"); // out of contract: refused first (SnpMachine)
        Objects.requireNonNull(state, "state");
        requireSpa(spa); // not an SPA at all, whoever asks
        if (!(caller instanceof Accessor.Hypervisor)) {
            return RmpReturnCode.FAIL_PERMISSION;
        }
        if (!Geometry.isAligned(spa, Geometry.PAGE_4K) || !host.isRam(spa) || !state.isWellFormed()) {
            return RmpReturnCode.FAIL_INPUT;
        }
        long pfn = Geometry.pfn(spa);
        long base = pfn & ~(Geometry.PAGES_PER_2M - 1L);
        if (state.pageSize() == PageSize.SIZE_2M) {
            if (!Geometry.isAligned(spa, Geometry.PAGE_2M) || !isRam2M(spa)) {
                return RmpReturnCode.FAIL_INPUT;
            }
            RmpEntry current = stored(base);
            if (current.pageSize() == PageSize.SIZE_2M) {
                if (current.immutable()) {
                    return RmpReturnCode.FAIL_PERMISSION;
                }
            } else {
                for (long p = base; p < base + Geometry.PAGES_PER_2M; p++) {
                    if (stored(p).immutable()) {
                        return RmpReturnCode.FAIL_PERMISSION;
                    }
                }
                if (anyAssignedIn(base, base + Geometry.PAGES_PER_2M)) {
                    return RmpReturnCode.FAIL_OVERLAP;
                }
            }
            store(base, state.toEntry());
        } else {
            RmpEntry covering = stored(base);
            boolean inside2M = covering.pageSize() == PageSize.SIZE_2M;
            if (authoritative(pfn).immutable()) {
                return RmpReturnCode.FAIL_PERMISSION;
            }
            if (inside2M && covering.assigned()) {
                return RmpReturnCode.FAIL_OVERLAP;
            }
            if (inside2M) {
                // An unassigned 2M entry gives way to 4K entries: the hypervisor may change one page.
                store(base, RmpEntry.HYPERVISOR);
            }
            store(pfn, state.toEntry());
        }
        if (options.clearPolicy() == ClearPolicy.EVERY_RMPUPDATE || state.assigned()) {
            clearRegionEverywhere(Geometry.regionIndex(spa)); // model §4: before RMPUPDATE returns
        }
        return RmpReturnCode.SUCCESS;
    }

    @Override
    public RmpReturnCode psmash(Accessor caller, long spa) {
        Objects.requireNonNull(caller, "caller");
        requireSpa(spa);
        if (!(caller instanceof Accessor.Hypervisor)) {
            return RmpReturnCode.FAIL_PERMISSION;
        }
        if (!Geometry.isAligned(spa, Geometry.PAGE_2M) || !host.isRam(spa)) {
            return RmpReturnCode.FAIL_INPUT;
        }
        long base = Geometry.pfn(spa);
        RmpEntry entry = stored(base);
        if (entry.pageSize() != PageSize.SIZE_2M || !entry.assigned()) {
            return RmpReturnCode.FAIL_NOT_EXPANDABLE;
        }
        for (int i = 0; i < Geometry.PAGES_PER_2M; i++) {
            store(base + i, entry.split(i));
        }
        clearRegionEverywhere(Geometry.regionIndex(spa));
        return RmpReturnCode.SUCCESS;
    }

    @Override
    public RmpReadResult rmpRead(long spa) {
        requireSpa(spa);
        if (!Geometry.isAligned(spa, Geometry.PAGE_4K) || !host.isRam(spa)) {
            return new RmpReadResult.Failed(RmpReturnCode.FAIL_INPUT);
        }
        return new RmpReadResult.Read(authoritative(Geometry.pfn(spa)));
    }

    @Override
    public PvalidateResult pvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated) {
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(size, "size");
        requireSpa(spa);
        if (!Geometry.isAligned(spa, size.bytes()) || !host.isRam(spa)) {
            return PvalidateResult.failed(RmpReturnCode.FAIL_INPUT);
        }
        long pfn = Geometry.pfn(spa);
        RmpEntry entry = authoritative(pfn);
        // model §4.7: the only codes are 0, 1 and 6 (a 2M request over 4K entries, [M] before ownership);
        // the RMP check's failures are nested page faults, a 4K request in a 2M entry with SIZEM
        if (size == PageSize.SIZE_2M && entry.pageSize() == PageSize.SIZE_4K) {
            return PvalidateResult.failed(RmpReturnCode.FAIL_SIZEMISMATCH);
        }
        if (!entry.assigned() || entry.asid() != guest.asid() || entry.immutable()) {
            return new PvalidateResult.Faulted(new RmpFault.NestedPageFault(RmpFault.PF_PRESENT | RmpFault.NPF_RMP
                    | RmpFault.NPF_FINAL | RmpFault.NPF_ENC));
        }
        if (entry.pageSize() != size) {
            return new PvalidateResult.Faulted(new RmpFault.NestedPageFault(RmpFault.PF_PRESENT | RmpFault.NPF_RMP
                    | RmpFault.NPF_FINAL | RmpFault.NPF_ENC | RmpFault.NPF_SIZEM));
        }
        if (entry.validated() == validated) {
            return new PvalidateResult.Returned(RmpReturnCode.SUCCESS, true);
        }
        storeAuthoritative(pfn, entry.withValidated(validated));
        return new PvalidateResult.Returned(RmpReturnCode.SUCCESS, false);
    }

    // ---------------------------------------------------------------- firmware (model §4)

    @Override
    public FirmwareStatus snpInit() {
        if (initialized) {
            return FirmwareStatus.INVALID_PLATFORM_STATE;
        }
        for (PhysRange r : host.rmpTable()) {
            markReserved(r, RmpEntry.FIRMWARE);
        }
        for (PhysRange r : host.firmwarePages()) {
            markReserved(r, RmpEntry.FIRMWARE);
        }
        for (PhysRange r : host.hvFixedPages()) {
            markReserved(r, RmpEntry.HV_FIXED);
        }
        initialized = true;
        Arrays.fill(snpEn, true); // model §4.8: the path to SNP_INIT sets SnpEn on every core
        clearAllTables(); // model §4 and I5
        return FirmwareStatus.SUCCESS;
    }

    /** SNP_INIT's reserved pages become 4K entries; a 2M entry covering one is split first. */
    private void markReserved(PhysRange range, RmpEntry entry) {
        for (long pfn = Geometry.pfn(range.start()); pfn < Geometry.pfn(range.end()); pfn++) {
            long base = pfn & ~(Geometry.PAGES_PER_2M - 1L);
            RmpEntry covering = stored(base);
            if (covering.pageSize() == PageSize.SIZE_2M) {
                for (int i = 0; i < Geometry.PAGES_PER_2M; i++) {
                    store(base + i, covering.split(i));
                }
            }
            store(pfn, entry);
        }
    }

    private boolean isReservedForFirmware(long spa) {
        return host.rmpTable().stream().anyMatch(r -> r.contains(spa))
                || host.firmwarePages().stream().anyMatch(r -> r.contains(spa));
    }

    @Override
    public FirmwareStatus launchStart(int asid, long contextPage) {
        if (!initialized) {
            return FirmwareStatus.INVALID_PLATFORM_STATE;
        }
        if (asid < 1 || asid > RmpState.MAX_ASID) {
            return FirmwareStatus.INVALID_ASID;
        }
        if (guests.containsKey(asid)) {
            return FirmwareStatus.ASID_OWNED;
        }
        if (contextPage < 0 || !Geometry.isAligned(contextPage, Geometry.PAGE_4K) || !host.isRam(contextPage)) {
            return FirmwareStatus.INVALID_ADDRESS;
        }
        long pfn = Geometry.pfn(contextPage);
        RmpEntry entry = authoritative(pfn);
        // The RMP and the firmware's own pages are FIRMWARE too, but not the host's to hand over.
        if (entry.state() != PageState.FIRMWARE || entry.pageSize() != PageSize.SIZE_4K || isReservedForFirmware(contextPage)) {
            return FirmwareStatus.INVALID_PAGE_STATE;
        }
        store(pfn, entry.withVmsa(true));
        guests.put(asid, contextPage);
        return FirmwareStatus.SUCCESS;
    }

    @Override
    public FirmwareStatus launchUpdate(int asid, long spa) {
        FirmwareStatus guest = guestCheck(asid);
        if (guest != FirmwareStatus.SUCCESS) {
            return guest;
        }
        if (!guests.containsKey(asid)) {
            return FirmwareStatus.INVALID_GUEST;
        }
        if (spa < 0 || !Geometry.isAligned(spa, Geometry.PAGE_4K) || !host.isRam(spa)) {
            return FirmwareStatus.INVALID_ADDRESS;
        }
        long pfn = Geometry.pfn(spa);
        RmpEntry entry = authoritative(pfn);
        if (entry.state() != PageState.PRE_GUEST) {
            return FirmwareStatus.INVALID_PAGE_STATE;
        }
        if (entry.asid() != asid) {
            return FirmwareStatus.INVALID_PAGE_OWNER;
        }
        // Assigned before and after: no RMPOPT bit can be affected (model §4, firmware changes assigned pages only).
        storeAuthoritative(pfn, entry.withImmutable(false).withValidated(true));
        return FirmwareStatus.SUCCESS;
    }

    @Override
    public FirmwareStatus decommission(int asid) {
        FirmwareStatus guest = guestCheck(asid);
        if (guest != FirmwareStatus.SUCCESS) {
            return guest;
        }
        Long context = guests.remove(asid);
        if (context == null) {
            return FirmwareStatus.INVALID_GUEST;
        }
        long pfn = Geometry.pfn(context);
        store(pfn, stored(pfn).withVmsa(false));
        return FirmwareStatus.SUCCESS;
    }

    /** The checks every guest command makes first: the platform is initialized, the ASID names a live guest. */
    private FirmwareStatus guestCheck(int asid) {
        if (!initialized) {
            return FirmwareStatus.INVALID_PLATFORM_STATE;
        }
        if (asid < 1 || asid > RmpState.MAX_ASID) {
            return FirmwareStatus.INVALID_ASID;
        }
        return guests.containsKey(asid) ? FirmwareStatus.SUCCESS : FirmwareStatus.INVALID_GUEST;
    }

    @Override
    public FirmwareStatus pageReclaim(long spa) {
        if (!initialized) {
            return FirmwareStatus.INVALID_PLATFORM_STATE;
        }
        if (spa < 0 || !Geometry.isAligned(spa, Geometry.PAGE_4K) || !host.isRam(spa)) {
            return FirmwareStatus.INVALID_ADDRESS;
        }
        long pfn = Geometry.pfn(spa);
        RmpEntry entry = authoritative(pfn);
        boolean reclaimableFirmware = entry.state() == PageState.FIRMWARE && !isReservedForFirmware(spa);
        boolean orphanedGuestPage = (entry.state() == PageState.PRE_GUEST || entry.state() == PageState.PRE_SWAP)
                && !guests.containsKey(entry.asid());
        if (!reclaimableFirmware && !orphanedGuestPage) {
            return FirmwareStatus.INVALID_PAGE_STATE;
        }
        // RECLAIM (model §3): assigned, ASID 0, mutable; the guest's GPA and validated bit are gone.
        storeAuthoritative(pfn, new RmpEntry(true, entry.pageSize(), false, false, false, 0, 0));
        return FirmwareStatus.SUCCESS;
    }

    /** model §4.8: no MSR and no table changes; X86_SNP_SHUTDOWN clears SnpEn, the legacy path keeps it. */
    @Override
    public FirmwareStatus snpShutdown(ShutdownKind kind) {
        Objects.requireNonNull(kind, "kind");
        if (!initialized || !guests.isEmpty()) {
            return FirmwareStatus.INVALID_PLATFORM_STATE;
        }
        if (kind == ShutdownKind.X86_SNP_SHUTDOWN) {
            Arrays.fill(snpEn, false);
        }
        initialized = false;
        return FirmwareStatus.SUCCESS;
    }

    // ---------------------------------------------------------------- RMPOPT (model §4)

    @Override
    public WrmsrResult wrmsrRmpoptBase(int cpu, long value) {
        requireCpu(cpu);
        if (!host.segmentedRmp()) {
            return new WrmsrResult.GeneralProtection("segmented RMP not enabled");
        }
        RmpoptBase msr;
        try {
            msr = RmpoptBase.fromRaw(value);
        } catch (IllegalArgumentException e) {
            return new WrmsrResult.GeneralProtection(e.getMessage());
        }
        if (msr.enabled() && !snpEn[topology.coreOf(cpu)]) {
            return new WrmsrResult.GeneralProtection("RMPOPT_EN needs SnpEn"); // model §4.2; disabling is allowed
        }
        msrs[topology.coreOf(cpu)] = msr;
        for (int sibling : topology.siblingsOf(cpu)) {
            tables[tableOf(sibling)].clear(); // the bits described the old window
        }
        return WrmsrResult.WRITTEN;
    }

    @Override
    public RmpoptBase rdmsrRmpoptBase(int cpu) {
        requireCpu(cpu);
        return msrs[topology.coreOf(cpu)];
    }

    @Override
    public RmpoptResult rmpopt(int cpu, long spa, RmpoptFunction function) {
        Objects.requireNonNull(function, "function");
        requireCpu(cpu);
        requireSpa(spa);
        if (!rmpoptUsable(cpu)) {
            return RmpoptResult.UD;
        }
        long region = Geometry.regionIndex(spa);
        if (!inWindow(cpu, region)) {
            return RmpoptResult.CARRY_CLEAR;
        }
        if (function == RmpoptFunction.REPORT_STATUS) {
            return RmpoptResult.carry(bit(cpu, region));
        }
        if (regionVerifiable(region)) {
            tables[tableOf(cpu)].set((int) region);
            return RmpoptResult.CARRY_SET;
        }
        // A failed VERIFY changes nothing; no bit can be set for a region with an assigned page anyway (I1).
        return RmpoptResult.CARRY_CLEAR;
    }

    // ---------------------------------------------------------------- accesses (model §5)

    @Override
    public AccessOutcome access(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) {
        Objects.requireNonNull(accessor, "accessor");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mapping, "mapping");
        requireCpu(cpu);
        if (spa < 0 || !host.isRam(spa)) {
            throw new IllegalArgumentException("not RAM: " + Geometry.hex(spa));
        }
        long pfn = Geometry.pfn(spa);
        boolean shared = accessor instanceof Accessor.SnpGuestView && !((Accessor.SnpGuestView) accessor).encrypted();
        if (accessor instanceof Accessor.SnpGuest || accessor instanceof Accessor.SnpGuestView) {
            if (!rmpChecksEnabled()) {
                return AccessOutcome.UNCHECKED;
            }
            long access = RmpFault.PF_PRESENT | (kind == AccessKind.WRITE ? RmpFault.PF_WRITE : 0);
            if (shared) {
                // model §5.4: C=0, a write gets the hypervisor-owned check (never RMPOPT), a read none [M]
                if (kind == AccessKind.READ) {
                    return AccessOutcome.UNCHECKED;
                }
                return fullCheckAllows(spa, mapping) ? AccessOutcome.CHECKED
                        : new RmpFault.NestedPageFault(RmpFault.NPF_RMP | RmpFault.NPF_FINAL | access);
            }
            // model §5.4: C=1, the guest's own page (ASID, GPA, mutable), a large enough entry, validated
            Accessor.SnpGuestView view = accessor instanceof Accessor.SnpGuestView ? (Accessor.SnpGuestView) accessor : null;
            int asid = view != null ? view.asid() : ((Accessor.SnpGuest) accessor).asid();
            RmpEntry entry = authoritative(pfn);
            long base = pfn & ~(Geometry.PAGES_PER_2M - 1L);
            long gpaOfPage = entry.gpa() + (entry.pageSize() == PageSize.SIZE_2M ? (pfn - base) * Geometry.PAGE_4K : 0);
            long npf = RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.NPF_ENC | access;
            if (!entry.assigned() || entry.asid() != asid || entry.immutable()
                    || view != null && gpaOfPage != Geometry.alignDown(view.gpa(), Geometry.PAGE_4K)) {
                return new RmpFault.NestedPageFault(npf);
            }
            if (mapping != MappingSize.SIZE_4K && entry.pageSize() == PageSize.SIZE_4K) {
                return new RmpFault.NestedPageFault(npf | RmpFault.NPF_SIZEM);
            }
            return entry.validated() ? AccessOutcome.CHECKED : new AccessOutcome.VmmCommunication(0x404);
        }
        if (kind == AccessKind.READ) {
            return AccessOutcome.UNCHECKED;
        }
        long region = Geometry.regionIndex(spa);
        if (rmpoptEnabled(cpu) && inWindow(cpu, region) && bit(cpu, region)) {
            return AccessOutcome.SKIPPED; // the core consults its RMPOPT bit first (model §5)
        }
        return hostWriteWithoutBit(accessor, spa, mapping);
    }

    /** A host-side write's outcome when the core holds no bit for its region: model §5 steps 2 and 3. */
    AccessOutcome hostWriteWithoutBit(Accessor accessor, long spa, MappingSize mapping) {
        if (!rmpChecksEnabled()) {
            return AccessOutcome.UNCHECKED;
        }
        if (fullCheckAllows(spa, mapping)) {
            return AccessOutcome.CHECKED;
        }
        return faultFor(accessor);
    }

    /** The model §5 step 2 check, without RMPOPT: the outcome a skipped write must match (I2). */
    boolean fullCheckAllows(long spa, MappingSize mapping) {
        long pfn = Geometry.pfn(spa);
        if (mapping == MappingSize.SIZE_4K) {
            return !authoritative(pfn).assigned();
        }
        long base = pfn & ~(Geometry.PAGES_PER_2M - 1L);
        return !stored(base).assigned() && !anyAssignedIn(base, base + Geometry.PAGES_PER_2M);
    }

    /** The fault a host-side write that fails the RMP check raises (model §5 step 3). */
    static RmpFault faultFor(Accessor accessor) {
        if (accessor instanceof Accessor.Hypervisor) {
            return new RmpFault.HostPageFault(RmpFault.PF_PRESENT | RmpFault.PF_WRITE | RmpFault.PF_RMP);
        }
        return new RmpFault.NestedPageFault(RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.PF_PRESENT | RmpFault.PF_WRITE);
    }

    private void requireCpu(int cpu) {
        if (!topology.isCpu(cpu)) {
            throw new IllegalArgumentException("no CPU " + cpu);
        }
    }

    private static void requireSpa(long spa) {
        if (spa < 0) {
            throw new IllegalArgumentException("negative SPA " + spa);
        }
    }
}
