package dev.rmpopt.tck;

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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small, obviously correct backend for the kit's own tests: every operation holds the machine's
 * monitor, so it is trivially linearizable. It is written independently of the kit's
 * {@link SpecModel} (its tables are hash sets of region numbers, VERIFY scans the stored entries),
 * and it exposes one protected hook per behaviour that {@link BrokenMachines} override to break it
 * in one realistic way each.
 */
class SimpleSnpMachine implements SnpMachine {

    private static final long PAGES_PER_2M = Geometry.PAGES_PER_2M;

    protected final HostDescription host;
    protected final ModelOptions options;
    protected final RmpEventListener listener;
    /** Stored entries that are not HYPERVISOR, by PFN. */
    private final TreeMap<Long, RmpEntry> rmp = new TreeMap<>();
    /** RMPOPT tables: sets of region numbers, one per core or per logical CPU. */
    private final List<Set<Long>> tables = new ArrayList<>();
    private final RmpoptBase[] msr;
    private final Map<Integer, Long> contexts = new HashMap<>();
    private boolean initialized;
    /** SnpEn, on every core alike: RMP checks are on exactly while it is set. */
    private boolean checks;

    SimpleSnpMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
        this.host = host;
        this.options = options;
        this.listener = listener;
        int n = options.tableScope() == RmpoptTableScope.PER_CORE ? host.topology().coreCount() : host.topology().cpuCount();
        for (int i = 0; i < n; i++) {
            tables.add(new HashSet<>());
        }
        msr = new RmpoptBase[host.topology().coreCount()];
        java.util.Arrays.fill(msr, RmpoptBase.DISABLED);
        checks = options.snpEnabledAtPowerOn();
    }

    // ----------------------------------------------------------------- hooks the broken machines override

    /** VERIFY's scan: the region lies inside RMP coverage and no stored entry in it is assigned. */
    protected boolean regionClean(long region) {
        long first = region * Geometry.PAGES_PER_REGION;
        if (Geometry.regionBase(region + 1) > host.ramEnd()) {
            return false;
        }
        for (RmpEntry e : rmp.subMap(first, first + Geometry.PAGES_PER_REGION).values()) {
            if (e.assigned()) {
                return false;
            }
        }
        return true;
    }

    /** Clears a region on every table; RMPUPDATE and PSMASH call it before they return. */
    protected void clearRegion(long region, ClearCause cause) {
        int n = 0;
        for (Set<Long> t : tables) {
            if (t.remove(region)) {
                n++;
            }
        }
        if (n > 0) {
            listener.onOptimizationCleared(region, cause, n);
        }
    }

    /** Bytes the write check covers for a mapping (model §5: 1G is checked as 2M). */
    protected long checkedBytes(MappingSize mapping) {
        return mapping.checkedBytes();
    }

    /** Whether the region lies in {@code cpu}'s core's window. */
    protected boolean inWindow(int cpu, long region) {
        long base = Geometry.regionIndex(msr[host.topology().coreOf(cpu)].base());
        return region >= base && region < base + options.windowRegions();
    }

    /** SNP_INIT's zeroing of every table (model §4, I5). */
    protected void zeroTablesAtSnpInit() {
        tables.forEach(Set::clear);
        listener.onAllTablesCleared(ClearCause.SNP_INIT);
    }

    /** A shutdown's own onFirmwareCommand (after it succeeded). */
    protected FirmwareStatus shutdownCommandEvent(ShutdownKind kind, FirmwareStatus status) {
        return fw(kind.command(), 0, 0, status);
    }

    /** The SPI's refusal of null access arguments (before anything else). */
    protected void requireArguments(Accessor accessor, AccessKind kind, MappingSize mapping) {
        java.util.Objects.requireNonNull(accessor);
        java.util.Objects.requireNonNull(kind);
        java.util.Objects.requireNonNull(mapping);
    }

    /** What PSMASH makes of the 2M entry for the page {@code offset} into the range. */
    protected RmpEntry splitForPsmash(RmpEntry twoM, int offset) {
        return twoM.split(offset);
    }

    // ----------------------------------------------------------------- helpers for subclasses

    protected final Set<Long> table(int cpu) {
        return tables.get(tableIndex(cpu));
    }

    /** The index of {@code cpu}'s table: its core's, or its own under PER_LOGICAL_CPU. */
    protected int tableIndex(int cpu) {
        return options.tableScope() == RmpoptTableScope.PER_CORE ? host.topology().coreOf(cpu) : cpu;
    }

    /** The page number RMPUPDATE stores its entry under. */
    protected long updatedPage(long spa) {
        return spa / Geometry.PAGE_4K;
    }

    /** The stored (non-HYPERVISOR) entries of PFNs {@code [from, to)}. */
    protected final java.util.Collection<RmpEntry> storedEntries(long from, long to) {
        return rmp.subMap(from, to).values();
    }

    protected final List<Set<Long>> tables() {
        return tables;
    }

    protected final boolean enabled(int cpu) {
        return msr[host.topology().coreOf(cpu)].enabled();
    }

    protected final void requireCpu(int cpu) {
        if (!host.topology().isCpu(cpu)) {
            throw new IllegalArgumentException("no cpu " + cpu);
        }
    }

    private RmpEntry entry(long pfn) {
        return rmp.getOrDefault(pfn, RmpEntry.HYPERVISOR);
    }

    private void put(long pfn, RmpEntry e) {
        if (e.equals(RmpEntry.HYPERVISOR)) {
            rmp.remove(pfn);
        } else {
            rmp.put(pfn, e);
        }
    }

    /** The pfn whose entry speaks for {@code pfn}: the 2M head if there is one. */
    private long owner(long pfn) {
        long head = pfn - pfn % PAGES_PER_2M;
        return entry(head).pageSize() == PageSize.SIZE_2M ? head : pfn;
    }

    private static void requireSpa(long spa) {
        if (spa < 0) {
            throw new IllegalArgumentException("negative spa");
        }
    }

    private boolean reserved(long spa) {
        for (PhysRange r : host.rmpTable()) {
            if (r.contains(spa)) {
                return true;
            }
        }
        for (PhysRange r : host.firmwarePages()) {
            if (r.contains(spa)) {
                return true;
            }
        }
        return false;
    }

    // ----------------------------------------------------------------- SnpMachine

    @Override
    public HostDescription host() {
        return host;
    }

    @Override
    public ModelOptions options() {
        return options;
    }

    @Override
    public synchronized boolean rmpChecksEnabled() {
        return checks;
    }

    @Override
    public synchronized boolean snpEnabled(int cpu) {
        requireCpu(cpu);
        return checks;
    }

    @Override
    public synchronized boolean isSnpInitialized() {
        return initialized;
    }

    @Override
    public synchronized RmpReturnCode rmpUpdate(Accessor caller, long spa, RmpState state) {
        java.util.Objects.requireNonNull(caller);
        java.util.Objects.requireNonNull(state);
        RmpReturnCode rc = doRmpUpdate(caller, spa, state);
        listener.onRmpUpdate(caller, spa, state, rc);
        return rc;
    }

    private RmpReturnCode doRmpUpdate(Accessor caller, long spa, RmpState state) {
        requireSpa(spa);
        if (!(caller instanceof Accessor.Hypervisor)) {
            return RmpReturnCode.FAIL_PERMISSION;
        }
        if (spa % Geometry.PAGE_4K != 0 || !host.isRam(spa) || !state.isWellFormed()) {
            return RmpReturnCode.FAIL_INPUT;
        }
        long pfn = updatedPage(spa);
        if (state.pageSize() == PageSize.SIZE_2M) {
            if (spa % Geometry.PAGE_2M != 0 || !host.isRam(new PhysRange(spa, spa + Geometry.PAGE_2M))) {
                return RmpReturnCode.FAIL_INPUT;
            }
            boolean head2M = entry(pfn).pageSize() == PageSize.SIZE_2M;
            for (long p = pfn; p < pfn + PAGES_PER_2M; p++) {
                RmpEntry e = entry(owner(p));
                if (e.immutable()) {
                    return RmpReturnCode.FAIL_PERMISSION;
                }
            }
            if (!head2M) {
                for (long p = pfn; p < pfn + PAGES_PER_2M; p++) {
                    if (entry(p).assigned()) {
                        return RmpReturnCode.FAIL_OVERLAP;
                    }
                }
            }
            put(pfn, state.toEntry());
        } else {
            long head = pfn - pfn % PAGES_PER_2M;
            RmpEntry headEntry = entry(head);
            if (entry(owner(pfn)).immutable()) {
                return RmpReturnCode.FAIL_PERMISSION;
            }
            if (headEntry.pageSize() == PageSize.SIZE_2M) {
                if (headEntry.assigned()) {
                    return RmpReturnCode.FAIL_OVERLAP;
                }
                put(head, RmpEntry.HYPERVISOR);
            }
            put(pfn, state.toEntry());
        }
        if (options.clearPolicy() == ClearPolicy.EVERY_RMPUPDATE || state.assigned()) {
            clearRegion(spa >>> 30, ClearCause.RMPUPDATE);
        }
        return RmpReturnCode.SUCCESS;
    }

    @Override
    public synchronized RmpReturnCode psmash(Accessor caller, long spa) {
        java.util.Objects.requireNonNull(caller);
        RmpReturnCode rc = doPsmash(caller, spa);
        listener.onPsmash(caller, spa, rc);
        return rc;
    }

    private RmpReturnCode doPsmash(Accessor caller, long spa) {
        requireSpa(spa);
        if (!(caller instanceof Accessor.Hypervisor)) {
            return RmpReturnCode.FAIL_PERMISSION;
        }
        if (spa % Geometry.PAGE_2M != 0 || !host.isRam(spa)) {
            return RmpReturnCode.FAIL_INPUT;
        }
        long pfn = spa / Geometry.PAGE_4K;
        RmpEntry e = entry(pfn);
        if (e.pageSize() != PageSize.SIZE_2M || !e.assigned()) {
            return RmpReturnCode.FAIL_NOT_EXPANDABLE;
        }
        splitEntries(pfn, e, this::put);
        clearRegion(spa >>> 30, ClearCause.PSMASH);
        return RmpReturnCode.SUCCESS;
    }

    @Override
    public synchronized RmpReadResult rmpRead(long spa) {
        requireSpa(spa);
        if (spa % Geometry.PAGE_4K != 0 || !host.isRam(spa)) {
            return new RmpReadResult.Failed(RmpReturnCode.FAIL_INPUT);
        }
        return new RmpReadResult.Read(entry(owner(spa / Geometry.PAGE_4K)));
    }

    @Override
    public synchronized PvalidateResult pvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated) {
        java.util.Objects.requireNonNull(guest);
        java.util.Objects.requireNonNull(size);
        PvalidateResult r = doPvalidate(guest, spa, size, validated);
        listener.onPvalidate(guest, spa, size, validated, r);
        return r;
    }

    private PvalidateResult doPvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated) {
        requireSpa(spa);
        if (spa % size.bytes() != 0 || !host.isRam(spa)) {
            return PvalidateResult.failed(RmpReturnCode.FAIL_INPUT);
        }
        long at = owner(spa / Geometry.PAGE_4K);
        RmpEntry e = entry(at);
        if (size == PageSize.SIZE_2M && e.pageSize() == PageSize.SIZE_4K) {
            return PvalidateResult.failed(RmpReturnCode.FAIL_SIZEMISMATCH);
        }
        if (!e.assigned() || e.immutable() || e.asid() != guest.asid()) {
            return PvalidateResult.nestedPageFault(false);
        }
        if (e.pageSize() != size) {
            return PvalidateResult.nestedPageFault(true);
        }
        boolean same = e.validated() == validated;
        put(at, e.withValidated(validated));
        return PvalidateResult.success(same);
    }

    // ----------------------------------------------------------------- firmware

    private FirmwareStatus fw(FirmwareCommand c, int asid, long spa, FirmwareStatus s) {
        listener.onFirmwareCommand(c, asid, spa, s);
        return s;
    }

    @Override
    public synchronized FirmwareStatus snpInit() {
        if (initialized) {
            return fw(FirmwareCommand.SNP_INIT, 0, 0, FirmwareStatus.INVALID_PLATFORM_STATE);
        }
        initSequence(this::markReservedPages, () -> {
            initialized = true;
            checks = true;
            zeroTablesAtSnpInit();
        });
        return fw(FirmwareCommand.SNP_INIT, 0, 0, FirmwareStatus.SUCCESS);
    }

    /** SNP_INIT's two halves, in order: mark the reserved pages, then turn checks on and zero the tables. */
    protected void initSequence(Runnable markReservedPages, Runnable zeroTables) {
        markReservedPages.run();
        zeroTables.run();
    }

    private void markReservedPages() {
        List<PhysRange> firmware = new ArrayList<>(host.rmpTable());
        firmware.addAll(host.firmwarePages());
        for (PhysRange r : firmware) {
            for (long p = r.start() / Geometry.PAGE_4K; p < r.end() / Geometry.PAGE_4K; p++) {
                demote2M(p);
                put(p, RmpEntry.FIRMWARE);
            }
        }
        for (PhysRange r : host.hvFixedPages()) {
            for (long p = r.start() / Geometry.PAGE_4K; p < r.end() / Geometry.PAGE_4K; p++) {
                demote2M(p);
                put(p, RmpEntry.HV_FIXED);
            }
        }
    }

    /** Writes PSMASH's 512 split entries of the 2M entry {@code e} at {@code pfn}, via {@code put}. */
    protected void splitEntries(long pfn, RmpEntry e, java.util.function.BiConsumer<Long, RmpEntry> put) {
        for (int i = 0; i < PAGES_PER_2M; i++) {
            put.accept(pfn + i, splitForPsmash(e, i));
        }
    }

    private void demote2M(long pfn) {
        long head = pfn - pfn % PAGES_PER_2M;
        RmpEntry e = entry(head);
        if (e.pageSize() == PageSize.SIZE_2M) {
            for (int i = 0; i < PAGES_PER_2M; i++) {
                put(head + i, e.split(i));
            }
        }
    }

    @Override
    public synchronized FirmwareStatus launchStart(int asid, long contextPage) {
        FirmwareStatus s;
        if (!initialized) {
            s = FirmwareStatus.INVALID_PLATFORM_STATE;
        } else if (asid <= 0 || asid > RmpState.MAX_ASID) {
            s = FirmwareStatus.INVALID_ASID;
        } else if (contexts.containsKey(asid)) {
            s = FirmwareStatus.ASID_OWNED;
        } else if (contextPage < 0 || contextPage % Geometry.PAGE_4K != 0 || !host.isRam(contextPage)) {
            s = FirmwareStatus.INVALID_ADDRESS;
        } else {
            long pfn = contextPage / Geometry.PAGE_4K;
            RmpEntry e = entry(owner(pfn));
            if (e.pageSize() != PageSize.SIZE_4K || e.state() != PageState.FIRMWARE || reserved(contextPage)) {
                s = FirmwareStatus.INVALID_PAGE_STATE;
            } else {
                put(pfn, e.withVmsa(true));
                contexts.put(asid, contextPage);
                s = FirmwareStatus.SUCCESS;
            }
        }
        return fw(FirmwareCommand.LAUNCH_START, asid, contextPage, s);
    }

    @Override
    public synchronized FirmwareStatus launchUpdate(int asid, long spa) {
        FirmwareStatus s;
        if (!initialized) {
            s = FirmwareStatus.INVALID_PLATFORM_STATE;
        } else if (asid <= 0 || asid > RmpState.MAX_ASID) {
            s = FirmwareStatus.INVALID_ASID;
        } else if (!contexts.containsKey(asid)) {
            s = FirmwareStatus.INVALID_GUEST;
        } else if (spa < 0 || spa % Geometry.PAGE_4K != 0 || !host.isRam(spa)) {
            s = FirmwareStatus.INVALID_ADDRESS;
        } else {
            long at = owner(spa / Geometry.PAGE_4K);
            RmpEntry e = entry(at);
            if (e.state() != PageState.PRE_GUEST) {
                s = FirmwareStatus.INVALID_PAGE_STATE;
            } else if (e.asid() != asid) {
                s = FirmwareStatus.INVALID_PAGE_OWNER;
            } else {
                put(at, new RmpEntry(true, e.pageSize(), false, true, e.vmsa(), e.asid(), e.gpa()));
                s = FirmwareStatus.SUCCESS;
            }
        }
        return fw(FirmwareCommand.LAUNCH_UPDATE, asid, spa, s);
    }

    @Override
    public synchronized FirmwareStatus decommission(int asid) {
        FirmwareStatus s;
        if (!initialized) {
            s = FirmwareStatus.INVALID_PLATFORM_STATE;
        } else if (asid <= 0 || asid > RmpState.MAX_ASID) {
            s = FirmwareStatus.INVALID_ASID;
        } else if (!contexts.containsKey(asid)) {
            s = FirmwareStatus.INVALID_GUEST;
        } else {
            long pfn = contexts.remove(asid) / Geometry.PAGE_4K;
            put(pfn, entry(pfn).withVmsa(false));
            s = FirmwareStatus.SUCCESS;
        }
        return fw(FirmwareCommand.DECOMMISSION, asid, 0, s);
    }

    @Override
    public synchronized FirmwareStatus pageReclaim(long spa) {
        FirmwareStatus s;
        if (!initialized) {
            s = FirmwareStatus.INVALID_PLATFORM_STATE;
        } else if (spa < 0 || spa % Geometry.PAGE_4K != 0 || !host.isRam(spa)) {
            s = FirmwareStatus.INVALID_ADDRESS;
        } else {
            long at = owner(spa / Geometry.PAGE_4K);
            RmpEntry e = entry(at);
            PageState st = e.state();
            boolean ok = (st == PageState.FIRMWARE && !reserved(spa))
                    || ((st == PageState.PRE_GUEST || st == PageState.PRE_SWAP) && !contexts.containsKey(e.asid()));
            if (ok) {
                put(at, new RmpEntry(true, e.pageSize(), false, false, false, 0, 0)); // RECLAIM
                s = FirmwareStatus.SUCCESS;
            } else {
                s = FirmwareStatus.INVALID_PAGE_STATE;
            }
        }
        return fw(FirmwareCommand.PAGE_RECLAIM, 0, spa, s);
    }

    @Override
    public synchronized FirmwareStatus snpShutdown(ShutdownKind kind) {
        java.util.Objects.requireNonNull(kind);
        if (!initialized || !contexts.isEmpty()) {
            return fw(kind.command(), 0, 0, FirmwareStatus.INVALID_PLATFORM_STATE);
        }
        if (kind == ShutdownKind.X86_SNP_SHUTDOWN) {
            checks = false; // SnpEn cleared on every core; MSRs and tables stay
        }
        initialized = false;
        return shutdownCommandEvent(kind, FirmwareStatus.SUCCESS);
    }

    // ----------------------------------------------------------------- RMPOPT

    @Override
    public synchronized WrmsrResult wrmsrRmpoptBase(int cpu, long value) {
        requireCpu(cpu);
        WrmsrResult r;
        if (!host.segmentedRmp()) {
            r = new WrmsrResult.GeneralProtection("not allowed now");
        } else if ((value & 0x3FFF_FFFEL) != 0 || value < 0) {
            r = new WrmsrResult.GeneralProtection("reserved bits");
        } else if ((value & 1) != 0 && !checks) {
            r = new WrmsrResult.GeneralProtection("SnpEn clear");
        } else {
            msr[host.topology().coreOf(cpu)] = RmpoptBase.fromRaw(value);
            for (int sibling : host.topology().siblingsOf(cpu)) {
                table(sibling).clear();
            }
            r = WrmsrResult.WRITTEN;
        }
        listener.onRmpoptBaseWrite(cpu, value, r);
        return r;
    }

    @Override
    public synchronized RmpoptBase rdmsrRmpoptBase(int cpu) {
        requireCpu(cpu);
        return msr[host.topology().coreOf(cpu)];
    }

    /** The result RMPOPT gives without looking at the table (#UD, or CF=0 outside the window), or null. */
    protected final RmpoptResult refuse(int cpu, long spa) {
        requireCpu(cpu);
        requireSpa(spa);
        if (!enabled(cpu) || !checks) {
            return RmpoptResult.UD;
        }
        return inWindow(cpu, spa >>> 30) ? null : RmpoptResult.CARRY_CLEAR;
    }

    @Override
    public synchronized RmpoptResult rmpopt(int cpu, long spa, RmpoptFunction function) {
        java.util.Objects.requireNonNull(function);
        RmpoptResult r = refuse(cpu, spa);
        if (r == null) {
            long region = spa >>> 30;
            if (function == RmpoptFunction.REPORT_STATUS) {
                r = RmpoptResult.carry(table(cpu).contains(region));
            } else {
                r = RmpoptResult.carry(setIfClean(cpu, region, regionClean(region)));
            }
        }
        listener.onRmpopt(cpu, spa & -Geometry.REGION_1G, function, r);
        return r;
    }

    /** VERIFY's outcome on the table: the bit is set if the scan found the region clean; returns {@code clean}. */
    protected final boolean setIfClean(int cpu, long region, boolean clean) {
        if (clean) {
            table(cpu).add(region);
        }
        return clean;
    }

    // ----------------------------------------------------------------- accesses

    @Override
    public synchronized AccessOutcome access(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) {
        requireArguments(accessor, kind, mapping);
        requireCpu(cpu);
        if (spa < 0 || !host.isRam(spa)) {
            throw new IllegalArgumentException("not RAM");
        }
        AccessOutcome o = doAccess(cpu, accessor, kind, spa, mapping);
        listener.onAccess(cpu, accessor, kind, spa, mapping, o);
        return o;
    }

    private AccessOutcome doAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) {
        long pfn = spa / Geometry.PAGE_4K;
        boolean sharedView = accessor instanceof Accessor.SnpGuestView v && !v.encrypted();
        if (!accessor.mayUseRmpopt() && !sharedView) {
            if (!checks) {
                return AccessOutcome.UNCHECKED;
            }
            long at = owner(pfn);
            RmpEntry e = entry(at);
            long code = RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.NPF_ENC | RmpFault.PF_PRESENT
                    | (kind == AccessKind.WRITE ? RmpFault.PF_WRITE : 0);
            int asid = accessor instanceof Accessor.SnpGuestView v ? v.asid() : ((Accessor.SnpGuest) accessor).asid();
            long gpa = e.gpa() + (pfn - at) * Geometry.PAGE_4K; // a 2M entry's GPA plus the page's offset
            boolean gpaOk = !(accessor instanceof Accessor.SnpGuestView v) || (v.gpa() & -Geometry.PAGE_4K) == gpa;
            if (!e.assigned() || e.immutable() || e.asid() != asid || !gpaOk) {
                return new RmpFault.NestedPageFault(code);
            }
            if (mapping != MappingSize.SIZE_4K && e.pageSize() == PageSize.SIZE_4K) {
                return new RmpFault.NestedPageFault(code | RmpFault.NPF_SIZEM);
            }
            return e.validated() ? AccessOutcome.CHECKED : AccessOutcome.VC_PAGE_NOT_VALIDATED;
        }
        if (kind == AccessKind.READ) {
            return AccessOutcome.UNCHECKED;
        }
        if (sharedView) {
            if (!checks) {
                return AccessOutcome.UNCHECKED;
            }
            long bytes = checkedBytes(mapping);
            long first = (spa & -bytes) / Geometry.PAGE_4K;
            for (long p = first; p < first + bytes / Geometry.PAGE_4K; p++) {
                if (entry(owner(p)).assigned()) {
                    return new RmpFault.NestedPageFault(RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.PF_PRESENT | RmpFault.PF_WRITE);
                }
            }
            return AccessOutcome.CHECKED;
        }
        long region = spa >>> 30;
        if (enabled(cpu) && inWindow(cpu, region) && table(cpu).contains(region)) {
            return AccessOutcome.SKIPPED;
        }
        if (!checks) {
            return AccessOutcome.UNCHECKED;
        }
        long bytes = checkedBytes(mapping);
        long first = (spa & -bytes) / Geometry.PAGE_4K;
        for (long p = first; p < first + bytes / Geometry.PAGE_4K; p++) {
            if (entry(owner(p)).assigned()) {
                return accessor instanceof Accessor.Hypervisor
                        ? new RmpFault.HostPageFault(RmpFault.PF_PRESENT | RmpFault.PF_WRITE | RmpFault.PF_RMP)
                        : new RmpFault.NestedPageFault(RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.PF_PRESENT | RmpFault.PF_WRITE);
            }
        }
        return AccessOutcome.CHECKED;
    }
}
