package dev.rmpopt.core.reference;

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
import dev.rmpopt.api.FirmwareCommand;
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
import dev.rmpopt.api.RmpEventListener;
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
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The model document written down literally: one {@link RmpEntry} per 4 KiB page, one {@link BitSet} of
 * optimized regions per RMPOPT table, VERIFY scanning every entry of the region, and one lock
 * around everything. It is slow by design and obviously correct; faster backends are compared with
 * it.
 *
 * <p>Every method is {@code synchronized}, so each operation is atomic and the model §6 invariants
 * hold between any two of them. The rules the sources leave open ([M] in the model document) are written
 * out at the method that applies them.
 *
 * <p>Out-of-contract arguments are refused first, as the SPI says, with nothing changed and no
 * event: {@code null} with {@link NullPointerException}, a negative address or a CPU that does
 * not exist with {@link IllegalArgumentException}.
 *
 * <p>The entries of a region are an array of its 2^18 pages, allocated when a page of the region
 * first differs from power-on (a region without one is all HYPERVISOR), so that sparse hosts whose
 * RAM lies far up the address space (page indices past 2^31 from 8 TiB) cost only their RAM.
 */
final class ReferenceSnpMachine implements SnpMachine {

    /** The most RAM the reference stores page by page: 64 GiB, 16 Mi entries, wherever it lies. */
    static final long MAX_RAM_BYTES = 64L << 30;

    private final HostDescription host;
    private final ModelOptions options;
    private final RmpEventListener listener;

    /**
     * The RMP over [0, ramEnd): per 1 GiB region, its pages' entries by page offset, or null while
     * every entry of the region is the power-on HYPERVISOR entry; a null entry stands for it too.
     */
    private final RmpEntry[][] rmp;
    /** PFNs below the top of RAM: pages past it have no entry. */
    private final long pageCount;
    /** RMPOPT_BASE of every physical core. */
    private final RmpoptBase[] rmpoptBase;
    /** The RMPOPT tables, indexed by core or by logical CPU (the table scope): optimized region indices. */
    private final BitSet[] tables;
    /** Live guest contexts: ASID to the SPA of its context page. */
    private final Map<Integer, Long> guestContexts = new HashMap<>();
    /** SYSCFG.SnpEn per physical core (model §4.8); every transition sets or clears all of them. */
    private final boolean[] snpEn;
    private boolean snpInitialized;

    ReferenceSnpMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
        if (host.ramBytes() > MAX_RAM_BYTES) {
            throw new IllegalArgumentException("the reference backend stores every page and models hosts with up to "
                    + (MAX_RAM_BYTES >> 30) + " GiB of RAM; this host has " + (host.ramBytes() >> 30)
                    + " GiB (use the scalable backend)");
        }
        this.host = host;
        this.options = options;
        this.listener = listener;
        this.pageCount = Geometry.pfn(host.ramEnd());
        this.rmp = new RmpEntry[Math.toIntExact(host.regionCount())][];
        this.rmpoptBase = new RmpoptBase[host.topology().coreCount()];
        Arrays.fill(rmpoptBase, RmpoptBase.DISABLED);
        this.snpEn = new boolean[host.topology().coreCount()];
        Arrays.fill(snpEn, options.snpEnabledAtPowerOn());
        int tableCount = options.tableScope() == RmpoptTableScope.PER_CORE
                ? host.topology().coreCount() : host.topology().cpuCount();
        this.tables = new BitSet[tableCount];
        for (int t = 0; t < tableCount; t++) {
            tables[t] = new BitSet();
        }
    }

    @Override
    public HostDescription host() {
        return host;
    }

    @Override
    public ModelOptions options() {
        return options;
    }

    /** RMP checks are on exactly while SnpEn is (model §5.5); every core's SnpEn is the same. */
    @Override
    public synchronized boolean rmpChecksEnabled() {
        return snpEn[0];
    }

    @Override
    public synchronized boolean snpEnabled(int cpu) {
        return snpEn[host.topology().coreOf(cpu)];
    }

    // ---------------------------------------------------------------- RMP (model §3, §4)

    /**
     * RMPUPDATE, with these [M] rules (model §4): FAIL_PERMISSION for a caller other than the
     * hypervisor; FAIL_INPUT for an SPA that is misaligned or not RAM, a state that is not well
     * formed, or a 2M state that is not 2 MiB-aligned or not entirely RAM; FAIL_PERMISSION when an
     * entry the update would change is immutable; FAIL_OVERLAP for a 4K update inside an assigned
     * 2M entry or a 2M update over assigned 4K entries. A 4K update inside an unassigned 2M entry
     * first turns that entry into a 4K one, since an unassigned 2M entry owns nothing. On success
     * the region's bit is cleared on every table before returning, as the clear policy says. It never
     * returns FAIL_INUSE, even with {@link ModelOptions#failInUse()}: every operation holds the one
     * lock, so no other CPU is ever changing an entry meanwhile (model §4.1).
     */
    @Override
    public synchronized RmpReturnCode rmpUpdate(Accessor caller, long spa, RmpState state) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(state, "state");
        requireSpa(spa);
        RmpReturnCode result = doRmpUpdate(caller, spa, state);
        if (result == RmpReturnCode.SUCCESS
                && (options.clearPolicy() == ClearPolicy.EVERY_RMPUPDATE || state.assigned())) {
            clearRegionEverywhere(Geometry.regionIndex(spa), ClearCause.RMPUPDATE);
        }
        listener.onRmpUpdate(caller, spa, state, result);
        return result;
    }

    private RmpReturnCode doRmpUpdate(Accessor caller, long spa, RmpState state) {
        if (!(caller instanceof Accessor.Hypervisor)) {
            return RmpReturnCode.FAIL_PERMISSION;
        }
        if (!Geometry.isAligned(spa, PAGE_4K) || !host.isRam(spa) || !state.isWellFormed()) {
            return RmpReturnCode.FAIL_INPUT;
        }
        long pfn = Geometry.pfn(spa);
        long base = pfn & -PAGES_PER_2M;
        if (state.pageSize() == PageSize.SIZE_4K) {
            RmpEntry current = authoritative(pfn);
            if (current.immutable()) {
                return RmpReturnCode.FAIL_PERMISSION;
            }
            if (current.pageSize() == PageSize.SIZE_2M) {
                if (current.assigned()) {
                    return RmpReturnCode.FAIL_OVERLAP;
                }
                set(base, RmpEntry.HYPERVISOR);
            }
            set(pfn, state.toEntry());
            return RmpReturnCode.SUCCESS;
        }
        if (!Geometry.isAligned(spa, PAGE_2M) || !host.isRam(PhysRange.ofSize(spa, PAGE_2M))) {
            return RmpReturnCode.FAIL_INPUT;
        }
        for (long p = base; p < base + PAGES_PER_2M; p++) {
            if (authoritative(p).immutable()) {
                return RmpReturnCode.FAIL_PERMISSION;
            }
        }
        for (long p = base + 1; p < base + PAGES_PER_2M; p++) {
            if (get(p).assigned()) {
                return RmpReturnCode.FAIL_OVERLAP;
            }
        }
        if (get(base).assigned() && get(base).pageSize() == PageSize.SIZE_4K) {
            return RmpReturnCode.FAIL_OVERLAP;
        }
        set(base, state.toEntry());
        return RmpReturnCode.SUCCESS;
    }

    /**
     * PSMASH (model §4): an assigned 2M entry becomes 512 4K entries with the same attributes, GPA
     * plus offset and validated preserved. [M]: PSMASH clears the region like RMPUPDATE does (the
     * kernel's commit text says splits clear; the region holds an assigned page, so no bit can be
     * set anyway).
     */
    @Override
    public synchronized RmpReturnCode psmash(Accessor caller, long spa) {
        Objects.requireNonNull(caller, "caller");
        requireSpa(spa);
        RmpReturnCode result;
        if (!(caller instanceof Accessor.Hypervisor)) {
            result = RmpReturnCode.FAIL_PERMISSION;
        } else if (!Geometry.isAligned(spa, PAGE_2M) || !host.isRam(spa)) {
            result = RmpReturnCode.FAIL_INPUT;
        } else {
            long base = Geometry.pfn(spa);
            RmpEntry large = get(base);
            if (large.pageSize() != PageSize.SIZE_2M || !large.assigned()) {
                result = RmpReturnCode.FAIL_NOT_EXPANDABLE;
            } else {
                for (int i = 0; i < PAGES_PER_2M; i++) {
                    set(base + i, large.split(i));
                }
                clearRegionEverywhere(Geometry.regionIndex(spa), ClearCause.PSMASH);
                result = RmpReturnCode.SUCCESS;
            }
        }
        listener.onPsmash(caller, spa, result);
        return result;
    }

    /** RMPREAD: the authoritative entry (the 2M entry for a page inside one), [M]. */
    @Override
    public synchronized RmpReadResult rmpRead(long spa) {
        requireSpa(spa);
        if (!Geometry.isAligned(spa, PAGE_4K) || !host.isRam(spa)) {
            return new RmpReadResult.Failed(RmpReturnCode.FAIL_INPUT);
        }
        return new RmpReadResult.Read(authoritative(Geometry.pfn(spa)));
    }

    /**
     * PVALIDATE (model §4.7): FAIL_INPUT for an address misaligned to the size or not RAM;
     * FAIL_SIZEMISMATCH for a 2M request over 4K entries, [M] checked before ownership; a nested page
     * fault when the authoritative entry is not the guest's own mutable page, and one with the
     * size-mismatch bit for a 4K request inside the guest's 2M entry.
     */
    @Override
    public synchronized PvalidateResult pvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated) {
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(size, "size");
        requireSpa(spa);
        PvalidateResult result;
        if (!Geometry.isAligned(spa, size.bytes()) || !host.isRam(spa)) {
            result = PvalidateResult.failed(RmpReturnCode.FAIL_INPUT);
        } else {
            long pfn = Geometry.pfn(spa);
            RmpEntry entry = authoritative(pfn);
            if (size == PageSize.SIZE_2M && entry.pageSize() == PageSize.SIZE_4K) {
                result = PvalidateResult.failed(RmpReturnCode.FAIL_SIZEMISMATCH);
            } else if (!entry.assigned() || entry.asid() != guest.asid() || entry.immutable()) {
                result = PvalidateResult.nestedPageFault(false);
            } else if (entry.pageSize() != size) {
                result = PvalidateResult.nestedPageFault(true); // 4K inside a 2M entry
            } else {
                boolean noChange = entry.validated() == validated;
                set(authoritativeIndex(pfn), entry.withValidated(validated));
                result = PvalidateResult.success(noChange);
            }
        }
        listener.onPvalidate(guest, spa, size, validated, result);
        return result;
    }

    // ---------------------------------------------------------------- firmware (model §4)

    @Override
    public synchronized FirmwareStatus snpInit() {
        FirmwareStatus status;
        if (snpInitialized) {
            status = FirmwareStatus.INVALID_PLATFORM_STATE;
        } else {
            for (PhysRange r : host.rmpTable()) {
                setRange(r, RmpEntry.FIRMWARE);
            }
            for (PhysRange r : host.firmwarePages()) {
                setRange(r, RmpEntry.FIRMWARE);
            }
            for (PhysRange r : host.hvFixedPages()) {
                setRange(r, RmpEntry.HV_FIXED);
            }
            for (BitSet table : tables) {
                table.clear();
            }
            snpInitialized = true;
            Arrays.fill(snpEn, true); // the kernel's snp_prepare sets SnpEn on the way to SNP_INIT (model §4.8)
            status = FirmwareStatus.SUCCESS;
            listener.onAllTablesCleared(ClearCause.SNP_INIT);
        }
        listener.onFirmwareCommand(FirmwareCommand.SNP_INIT, 0, 0, status);
        return status;
    }

    @Override
    public synchronized boolean isSnpInitialized() {
        return snpInitialized;
    }

    /**
     * SNP_LAUNCH_START, [M]: the context page must be a 4K FIRMWARE page the host handed over
     * (not the RMP or the firmware's own memory); it becomes CONTEXT.
     */
    @Override
    public synchronized FirmwareStatus launchStart(int asid, long contextPage) {
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
            long pfn = Geometry.pfn(contextPage);
            RmpEntry entry = authoritative(pfn);
            if (entry.state() != PageState.FIRMWARE || entry.pageSize() != PageSize.SIZE_4K || isReserved(contextPage)) {
                status = FirmwareStatus.INVALID_PAGE_STATE;
            } else {
                set(pfn, entry.withVmsa(true));
                guestContexts.put(asid, contextPage);
            }
        }
        listener.onFirmwareCommand(FirmwareCommand.LAUNCH_START, asid, contextPage, status);
        return status;
    }

    @Override
    public synchronized FirmwareStatus launchUpdate(int asid, long spa) {
        FirmwareStatus status = guestCommandPrecheck(asid);
        if (status == FirmwareStatus.SUCCESS && !isUsablePage(spa)) {
            status = FirmwareStatus.INVALID_ADDRESS;
        }
        if (status == FirmwareStatus.SUCCESS) {
            long pfn = Geometry.pfn(spa);
            RmpEntry entry = authoritative(pfn);
            if (entry.state() != PageState.PRE_GUEST) {
                status = FirmwareStatus.INVALID_PAGE_STATE;
            } else if (entry.asid() != asid) {
                status = FirmwareStatus.INVALID_PAGE_OWNER;
            } else {
                set(authoritativeIndex(pfn), entry.withImmutable(false).withValidated(true));
            }
        }
        listener.onFirmwareCommand(FirmwareCommand.LAUNCH_UPDATE, asid, spa, status);
        return status;
    }

    @Override
    public synchronized FirmwareStatus decommission(int asid) {
        FirmwareStatus status = guestCommandPrecheck(asid);
        if (status == FirmwareStatus.SUCCESS) {
            long pfn = Geometry.pfn(guestContexts.remove(asid));
            set(pfn, get(pfn).withVmsa(false));
        }
        listener.onFirmwareCommand(FirmwareCommand.DECOMMISSION, asid, 0, status);
        return status;
    }

    /**
     * SNP_PAGE_RECLAIM, [M]: a FIRMWARE page outside the RMP and the firmware's memory, or a
     * PRE_GUEST/PRE_SWAP page of an ASID with no live guest context, becomes RECLAIM (assigned,
     * ASID 0, mutable), so the host can take it back with RMPUPDATE.
     */
    @Override
    public synchronized FirmwareStatus pageReclaim(long spa) {
        FirmwareStatus status = snpInitialized ? FirmwareStatus.SUCCESS : FirmwareStatus.INVALID_PLATFORM_STATE;
        if (status == FirmwareStatus.SUCCESS && !isUsablePage(spa)) {
            status = FirmwareStatus.INVALID_ADDRESS;
        }
        if (status == FirmwareStatus.SUCCESS) {
            long pfn = Geometry.pfn(spa);
            RmpEntry entry = authoritative(pfn);
            PageState state = entry.state();
            boolean reclaimable = (state == PageState.FIRMWARE && !isReserved(spa))
                    || ((state == PageState.PRE_GUEST || state == PageState.PRE_SWAP)
                        && !guestContexts.containsKey(entry.asid()));
            if (!reclaimable) {
                status = FirmwareStatus.INVALID_PAGE_STATE;
            } else {
                set(authoritativeIndex(pfn), new RmpEntry(true, entry.pageSize(), false, false, false, 0, 0));
            }
        }
        listener.onFirmwareCommand(FirmwareCommand.PAGE_RECLAIM, 0, spa, status);
        return status;
    }

    /**
     * SNP_SHUTDOWN_EX (model §4.8), [M]: refused while a guest context lives. With X86_SNP_SHUTDOWN
     * the firmware clears SnpEn on every core (RMP checks off, RMPOPT #UD); the legacy path leaves it
     * set. Neither writes RMPOPT_BASE nor touches a table: the kernel writes 0 afterwards (model §7.5).
     */
    @Override
    public synchronized FirmwareStatus snpShutdown(ShutdownKind kind) {
        Objects.requireNonNull(kind, "kind");
        FirmwareStatus status;
        if (!snpInitialized || !guestContexts.isEmpty()) {
            status = FirmwareStatus.INVALID_PLATFORM_STATE;
        } else {
            if (kind == ShutdownKind.X86_SNP_SHUTDOWN) {
                Arrays.fill(snpEn, false);
            }
            snpInitialized = false;
            status = FirmwareStatus.SUCCESS;
        }
        listener.onFirmwareCommand(kind.command(), 0, 0, status);
        return status;
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
        return spa >= 0 && Geometry.isAligned(spa, PAGE_4K) && host.isRam(spa);
    }

    private boolean isReserved(long spa) {
        return host.rmpTable().stream().anyMatch(r -> r.contains(spa))
                || host.firmwarePages().stream().anyMatch(r -> r.contains(spa));
    }

    // ---------------------------------------------------------------- RMPOPT (model §4)

    /**
     * WRMSR RMPOPT_BASE (model §4.2): #GP without the segmented RMP, when reserved bits are set, or
     * when the value enables RMPOPT while the core's SnpEn is clear; a disabling write is accepted
     * then (the kernel's cleanup after X86_SNP_SHUTDOWN). [M]: a write resets the core's table(s),
     * whose bits described the old window.
     */
    @Override
    public synchronized WrmsrResult wrmsrRmpoptBase(int cpu, long value) {
        int core = host.topology().coreOf(cpu);
        WrmsrResult result;
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
            } else if (decoded.enabled() && !snpEn[core]) {
                result = new WrmsrResult.GeneralProtection("RMPOPT_EN can be set only while SNP is enabled (SYSCFG.SnpEn)");
            } else {
                rmpoptBase[core] = decoded;
                for (int sibling : host.topology().siblingsOf(cpu)) {
                    tables[tableOf(sibling)].clear();
                }
                result = WrmsrResult.WRITTEN;
            }
        }
        listener.onRmpoptBaseWrite(cpu, value, result);
        return result;
    }

    @Override
    public synchronized RmpoptBase rdmsrRmpoptBase(int cpu) {
        return rmpoptBase[host.topology().coreOf(cpu)];
    }

    /**
     * RMPOPT. #UD when the core's RMPOPT_BASE is not enabled or its SnpEn is clear; CF=0 and no change outside the
     * window (model §4 [M]). VERIFY scans every page of the region; [M] a region not entirely inside
     * RMP coverage never verifies (the kernel's example shows the row past the end of RAM as none).
     */
    @Override
    public synchronized RmpoptResult rmpopt(int cpu, long spa, RmpoptFunction function) {
        Objects.requireNonNull(function, "function");
        int core = host.topology().coreOf(cpu);
        requireSpa(spa);
        long regionBase = Geometry.alignDown(spa, REGION_1G);
        RmpoptResult result;
        RmpoptBase msr = rmpoptBase[core];
        if (!msr.enabled() || !snpEn[core]) {
            result = RmpoptResult.UD;
        } else if (!inWindow(msr, regionBase)) {
            result = RmpoptResult.CARRY_CLEAR;
        } else {
            BitSet table = tables[tableOf(cpu)];
            int region = Math.toIntExact(Geometry.regionIndex(regionBase));
            if (function == RmpoptFunction.REPORT_STATUS) {
                result = RmpoptResult.carry(table.get(region));
            } else if (regionHoldsNoAssignedPage(regionBase)) {
                table.set(region);
                result = RmpoptResult.CARRY_SET;
            } else {
                result = RmpoptResult.CARRY_CLEAR;
            }
        }
        listener.onRmpopt(cpu, regionBase, function, result);
        return result;
    }

    private boolean regionHoldsNoAssignedPage(long regionBase) {
        if (regionBase + REGION_1G > host.ramEnd()) {
            return false;
        }
        RmpEntry[] pages = rmp[Math.toIntExact(Geometry.regionIndex(regionBase))];
        if (pages == null) {
            return true; // every entry of the region is the power-on HYPERVISOR entry
        }
        // Every stored entry, 2M heads included. No assigned 4K entry ever lies under a 2M entry
        // (RMPUPDATE refuses the overlap, SNP_INIT and a 4K RMPUPDATE split an unassigned one
        // first), so this is the scan of every page's authoritative entry.
        for (RmpEntry e : pages) {
            if (e != null && e.assigned()) {
                return false;
            }
        }
        return true;
    }

    private boolean inWindow(RmpoptBase msr, long regionBase) {
        long offset = regionBase - msr.base();
        return offset >= 0 && offset < options.windowBytes();
    }

    private int tableOf(int cpu) {
        return options.tableScope() == RmpoptTableScope.PER_CORE ? host.topology().coreOf(cpu) : cpu;
    }

    private void clearRegionEverywhere(long regionIndex, ClearCause cause) {
        int region = Math.toIntExact(regionIndex);
        int cleared = 0;
        for (BitSet table : tables) {
            if (table.get(region)) {
                table.clear(region);
                cleared++;
            }
        }
        if (cleared > 0) {
            listener.onOptimizationCleared(regionIndex, cause, cleared);
        }
    }

    // ---------------------------------------------------------------- accesses (model §5)

    @Override
    public synchronized AccessOutcome access(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) {
        Objects.requireNonNull(accessor, "accessor");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mapping, "mapping");
        int core = host.topology().coreOf(cpu);
        if (spa < 0 || !host.isRam(spa)) {
            throw new IllegalArgumentException("no RAM at " + hex(spa) + " on this host");
        }
        AccessOutcome outcome = decideAccess(core, cpu, accessor, kind, spa, mapping);
        listener.onAccess(cpu, accessor, kind, spa, mapping, outcome);
        return outcome;
    }

    private AccessOutcome decideAccess(int core, int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) {
        long pfn = Geometry.pfn(spa);
        if (!accessor.mayUseRmpopt()) {
            if (!snpEn[core]) {
                return AccessOutcome.UNCHECKED;
            }
            if (accessor instanceof Accessor.SnpGuestView view && !view.encrypted()) {
                // shared (C=0): a write is checked as a hypervisor-owned page, never skipped; a read is
                // not checked, as the host side's are not [M] (model §5.4)
                return kind == AccessKind.READ ? AccessOutcome.UNCHECKED : hypervisorOwnedCheck(accessor, kind, pfn, mapping);
            }
            return privateAccess(accessor, kind, pfn, mapping);
        }
        if (kind == AccessKind.READ) {
            return AccessOutcome.UNCHECKED;
        }
        RmpoptBase msr = rmpoptBase[core];
        long regionBase = Geometry.alignDown(spa, REGION_1G);
        if (msr.enabled() && inWindow(msr, regionBase)
                && tables[tableOf(cpu)].get(Math.toIntExact(Geometry.regionIndex(regionBase)))) {
            return AccessOutcome.SKIPPED;
        }
        if (!snpEn[core]) {
            return AccessOutcome.UNCHECKED;
        }
        return hypervisorOwnedCheck(accessor, kind, pfn, mapping);
    }

    /**
     * An SNP guest's private access (C=1), model §5.4: a nested page fault unless the authoritative
     * entry is assigned to the guest's ASID, at the access's GPA (an {@link Accessor.SnpGuestView}'s;
     * a bare {@link Accessor.SnpGuest} names none), and mutable; one with the size-mismatch bit when
     * the mapping is larger than a 4K entry; #VC 0x404 when the page is not validated.
     */
    private AccessOutcome privateAccess(Accessor accessor, AccessKind kind, long pfn, MappingSize mapping) {
        Accessor.SnpGuestView view = accessor instanceof Accessor.SnpGuestView v ? v : null;
        int asid = view != null ? view.asid() : ((Accessor.SnpGuest) accessor).asid();
        RmpEntry entry = authoritative(pfn);
        long gpaOfPage = entry.pageSize() == PageSize.SIZE_2M ? entry.gpa() + (pfn - (pfn & -PAGES_PER_2M)) * PAGE_4K : entry.gpa();
        boolean own = entry.assigned() && entry.asid() == asid && !entry.immutable()
                && (view == null || gpaOfPage == Geometry.alignDown(view.gpa(), PAGE_4K));
        if (!own) {
            return RmpFault.of(accessor, kind);
        }
        if (mapping != MappingSize.SIZE_4K && entry.pageSize() == PageSize.SIZE_4K) {
            return new RmpFault.NestedPageFault(RmpFault.of(accessor, kind).errorCode() | RmpFault.NPF_SIZEM);
        }
        return entry.validated() ? AccessOutcome.CHECKED : AccessOutcome.VC_PAGE_NOT_VALIDATED;
    }

    /** model §5.2 step 2: the page (4K mapping) or its whole 2 MiB range (2M, 1G) must be unassigned. */
    private AccessOutcome hypervisorOwnedCheck(Accessor accessor, AccessKind kind, long pfn, MappingSize mapping) {
        long first = mapping == MappingSize.SIZE_4K ? pfn : pfn & -PAGES_PER_2M;
        // pages of the 2M range past the top of RAM have no RMP entry and can never be assigned
        long end = Math.min(first + mapping.checkedBytes() / PAGE_4K, pageCount);
        for (long p = first; p < end; p++) {
            if (authoritative(p).assigned()) {
                return RmpFault.of(accessor, kind);
            }
        }
        return AccessOutcome.CHECKED;
    }

    // ---------------------------------------------------------------- entries

    private RmpEntry get(long pfn) {
        RmpEntry[] pages = rmp[Math.toIntExact(pfn / PAGES_PER_REGION)];
        RmpEntry e = pages == null ? null : pages[(int) (pfn % PAGES_PER_REGION)];
        return e == null ? RmpEntry.HYPERVISOR : e;
    }

    private void set(long pfn, RmpEntry entry) {
        int region = Math.toIntExact(pfn / PAGES_PER_REGION);
        if (rmp[region] == null) {
            if (entry.equals(RmpEntry.HYPERVISOR)) {
                return;
            }
            rmp[region] = new RmpEntry[PAGES_PER_REGION];
        }
        rmp[region][(int) (pfn % PAGES_PER_REGION)] = entry;
    }

    /** The entry that decides the page: the 2M-aligned entry if it is a 2M entry, else the page's own (model §3). */
    private RmpEntry authoritative(long pfn) {
        return get(authoritativeIndex(pfn));
    }

    private long authoritativeIndex(long pfn) {
        long base = pfn & -PAGES_PER_2M;
        return get(base).pageSize() == PageSize.SIZE_2M ? base : pfn;
    }

    /** Writes 4K {@code entry} to every page of {@code range}, splitting an unassigned 2M entry it touches. */
    private void setRange(PhysRange range, RmpEntry entry) {
        for (long p = Geometry.pfn(range.start()); p < Geometry.pfn(range.end()); p++) {
            long base = p & -PAGES_PER_2M;
            RmpEntry large = get(base);
            if (large.pageSize() == PageSize.SIZE_2M) {
                for (int i = 0; i < PAGES_PER_2M; i++) {
                    set(base + i, large.split(i));
                }
            }
            set(p, entry);
        }
    }

    private static void requireSpa(long spa) {
        if (spa < 0) {
            throw new IllegalArgumentException("not a system physical address: " + spa);
        }
    }
}
