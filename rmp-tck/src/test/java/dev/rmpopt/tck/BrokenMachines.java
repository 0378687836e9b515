package dev.rmpopt.tck;

import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.RmpoptResults;
import dev.rmpopt.api.CpuMask;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;

import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Backends that are wrong in one realistic way each: {@link SimpleSnpMachine} with one hook
 * overridden. The kit must fail every one of them within its default budget
 * ({@link BrokenBackendsTest}).
 */
final class BrokenMachines {

    private BrokenMachines() {
    }

    /** Forgets the model §4 rule that RMPUPDATE clears the region's bit on every core. */
    static final class NoClearOnRmpupdate extends SimpleSnpMachine {
        NoClearOnRmpupdate(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void clearRegion(long region, ClearCause cause) {
            if (cause != ClearCause.RMPUPDATE) {
                super.clearRegion(region, cause);
            }
        }
    }

    /**
     * Clears the region only on the core the host kernel runs its RMPUPDATEs on (CPU 0): the IPI to
     * the other cores was forgotten.
     */
    static final class ClearsOnlyCallingCore extends SimpleSnpMachine {
        ClearsOnlyCallingCore(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void clearRegion(long region, ClearCause cause) {
            if (table(0).remove(region)) {
                listener.onOptimizationCleared(region, cause, 1);
            }
        }
    }

    /** VERIFY's scan looks at 4K entries only and skips 2M entries. */
    static final class VerifyIgnores2M extends SimpleSnpMachine {
        VerifyIgnores2M(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected boolean regionClean(long region) {
            long first = region * Geometry.PAGES_PER_REGION;
            return Geometry.regionBase(region + 1) <= host.ramEnd() && storedEntries(first, first + Geometry.PAGES_PER_REGION)
                    .stream().noneMatch(e -> e.assigned() && e.pageSize() == PageSize.SIZE_4K);
        }
    }

    /** VERIFY's loop stops one page short: the last 4K page of the region is never looked at. */
    static final class VerifyMissesLastPage extends SimpleSnpMachine {
        VerifyMissesLastPage(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected boolean regionClean(long region) {
            long first = region * Geometry.PAGES_PER_REGION;
            return Geometry.regionBase(region + 1) <= host.ramEnd() && storedEntries(first, first + Geometry.PAGES_PER_REGION - 1)
                    .stream().noneMatch(RmpEntry::assigned);
        }
    }

    /** Checks a write through a 1G mapping as if it were a 4K mapping (model §5 says 2M). */
    static final class OneGigMappingCheckedAs4K extends SimpleSnpMachine {
        OneGigMappingCheckedAs4K(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected long checkedBytes(MappingSize mapping) {
            return mapping == MappingSize.SIZE_1G ? Geometry.PAGE_4K : super.checkedBytes(mapping);
        }
    }

    /** The window is {@code [base, base + window]}: one region too many ({@code <=} for {@code <}). */
    static final class WindowOffByOne extends SimpleSnpMachine {
        WindowOffByOne(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected boolean inWindow(int cpu, long region) {
            long base = Geometry.regionIndex(rdmsrRmpoptBase(cpu).base());
            return region >= base && region <= base + options.windowRegions();
        }
    }

    /** SNP_INIT turns RMP checks on and marks the firmware pages, but leaves the RMPOPT tables as they were. */
    static final class SnpInitLeavesBits extends SimpleSnpMachine {
        SnpInitLeavesBits(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void zeroTablesAtSnpInit() {
            listener.onAllTablesCleared(ClearCause.SNP_INIT); // reported, but the zeroing itself is forgotten
        }
    }

    /**
     * VERIFY scans under the lock, then sets the bit after releasing it: an RMPUPDATE that assigns a
     * page of the region in between is missed. What happens in the gap is the subclass's.
     */
    abstract static class SetsBitAfterScan extends SimpleSnpMachine {
        SetsBitAfterScan(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        /** Runs between the scan and the setting of the bit, with no lock held. */
        abstract void gap();

        @Override
        public RmpoptResult rmpopt(int cpu, long spa, RmpoptFunction function) {
            if (function == null || function == RmpoptFunction.REPORT_STATUS) {
                return super.rmpopt(cpu, spa, function);
            }
            long region = spa >>> 30;
            boolean clean;
            synchronized (this) {
                RmpoptResult refused = refuse(cpu, spa);
                if (refused != null) {
                    listener.onRmpopt(cpu, spa & -Geometry.REGION_1G, function, refused);
                    return refused;
                }
                clean = regionClean(region);
            }
            gap();
            boolean cf;
            synchronized (this) {
                cf = setIfClean(cpu, region, clean);
            }
            RmpoptResult r = RmpoptResult.carry(cf);
            listener.onRmpopt(cpu, spa & -Geometry.REGION_1G, function, r);
            return r;
        }
    }

    /** {@link SetsBitAfterScan} with the gap widened to a few hundred microseconds, so that the race shows within the default budget. */
    static final class RacyVerify extends SetsBitAfterScan {
        RacyVerify(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        void gap() {
            LockSupport.parkNanos(300_000);
        }
    }

    /**
     * {@link SetsBitAfterScan} with the gap only as wide as the code. The threads of the concurrent
     * rule meet a gap this narrow only by luck; the machine calls the kit's
     * {@link InterleavingProbe} in the gap, where the interleaving rule parks it on purpose.
     */
    static final class TornVerify extends SetsBitAfterScan {
        private final InterleavingProbe probe;

        TornVerify(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
            super(host, options, listener);
            this.probe = probe;
        }

        @Override
        void gap() {
            probe.reached();
        }
    }

    /** PSMASH forgets to copy the validated bit into the 4K entries (model §4 says it preserves it). */
    static final class PsmashDropsValidated extends SimpleSnpMachine {
        PsmashDropsValidated(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected RmpEntry splitForPsmash(RmpEntry twoM, int offset) {
            return super.splitForPsmash(twoM, offset).withValidated(false);
        }
    }

    /**
     * Zeroes the RMPOPT tables at the first SNP_INIT only, as if the zeroing were part of boot:
     * bits VERIFY set between a legacy shutdown and the next SNP_INIT (RMPOPT_BASE stays enabled,
     * model §4.8) survive the re-initialization.
     */
    static final class StaleBitsAfterReinit extends SimpleSnpMachine {
        private boolean booted;

        StaleBitsAfterReinit(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void zeroTablesAtSnpInit() {
            if (booted) {
                listener.onAllTablesCleared(ClearCause.SNP_INIT); // reported, not done
            } else {
                booted = true;
                super.zeroTablesAtSnpInit();
            }
        }
    }

    /**
     * Caches VERIFY's scan result per region, as the model allows ("the first core to verify a region
     * caches the scan result"), and forgets a region when RMPUPDATE or PSMASH clears it, but not
     * when SNP_INIT makes the RMP and firmware pages FIRMWARE: a region found clean before SNP_INIT
     * stays clean in the cache.
     */
    static class CleanCacheMissesSnpInit extends SimpleSnpMachine {
        /** Regions a VERIFY found clean, remembered until a clear forgets them. */
        protected final Set<Long> clean = new java.util.HashSet<>();

        CleanCacheMissesSnpInit(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected boolean regionClean(long region) {
            if (clean.contains(region)) {
                return true;
            }
            boolean scanned = super.regionClean(region);
            if (scanned) {
                clean.add(region);
            }
            return scanned;
        }

        @Override
        protected void clearRegion(long region, ClearCause cause) {
            if (invalidates()) {
                clean.remove(region);
            }
            super.clearRegion(region, cause);
        }

        /** Whether the clear at hand forgets the cached scan. */
        protected boolean invalidates() {
            return true;
        }
    }

    /**
     * The same cache, forgotten only when RMPUPDATE assigns a page to a guest (ASID &gt; 0): a page
     * the host hands to the firmware (RMPUPDATE to a FIRMWARE state, as for a guest's context page)
     * leaves a region found clean before clean in the cache.
     */
    static final class CleanCacheMissesFirmwareState extends CleanCacheMissesSnpInit {
        private boolean firmwareUpdate;

        CleanCacheMissesFirmwareState(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        public synchronized dev.rmpopt.api.RmpReturnCode rmpUpdate(dev.rmpopt.api.Accessor caller, long spa, dev.rmpopt.api.RmpState state) {
            firmwareUpdate = state != null && state.assigned() && state.asid() == 0;
            try {
                return super.rmpUpdate(caller, spa, state);
            } finally {
                firmwareUpdate = false;
            }
        }

        @Override
        protected boolean invalidates() {
            return !firmwareUpdate;
        }

        @Override
        protected void zeroTablesAtSnpInit() {
            super.zeroTablesAtSnpInit();
            clean.clear(); // this one gets SNP_INIT right: its only bug is the firmware state
        }
    }

    /** Clears the region on every table but never reports it: no onOptimizationCleared. */
    static final class NoClearEvent extends SimpleSnpMachine {
        NoClearEvent(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void clearRegion(long region, ClearCause cause) {
            for (Set<Long> t : tables()) {
                t.remove(region);
            }
        }
    }

    /** Reports every clear as covering every table of the host, not the tables that held the bit. */
    static final class WrongClearCount extends SimpleSnpMachine {
        WrongClearCount(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void clearRegion(long region, ClearCause cause) {
            boolean any = false;
            for (Set<Long> t : tables()) {
                any |= t.remove(region);
            }
            if (any) {
                listener.onOptimizationCleared(region, cause, tables().size());
            }
        }
    }

    /** A shutdown does its work but reports nothing: its onFirmwareCommand is forgotten. */
    static final class SilentShutdown extends SimpleSnpMachine {
        SilentShutdown(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected dev.rmpopt.api.FirmwareStatus shutdownCommandEvent(dev.rmpopt.api.ShutdownKind kind, dev.rmpopt.api.FirmwareStatus status) {
            return status; // forgotten
        }
    }

    /**
     * RMPUPDATE's clear keeps one 64-bit mask per region, as a first version for hosts of up to 64
     * cores did: tables 64 and up (cores 64+, or logical CPUs 64+) keep their bits.
     */
    static final class ClearsFirst64Tables extends SimpleSnpMachine {
        ClearsFirst64Tables(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void clearRegion(long region, ClearCause cause) {
            clearFirst(this, region, cause, Math.min(64, tables().size()));
        }
    }

    /**
     * Tables packed 32 to a word, as the scalable backend packs them, but the clear loops over
     * {@code tables / 32} words, rounding down: the last, partly filled word (tables 32-39 of 40
     * cores, 64-79 of 80) keeps its bits.
     */
    static final class ClearRoundsWordsDown extends SimpleSnpMachine {
        ClearRoundsWordsDown(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void clearRegion(long region, ClearCause cause) {
            clearFirst(this, region, cause, tables().size() / 32 * 32 == 0 ? tables().size() : tables().size() / 32 * 32);
        }
    }

    /** Clears {@code region} on tables {@code [0, n)} only and reports that clear. */
    private static void clearFirst(SimpleSnpMachine m, long region, ClearCause cause, int n) {
        int cleared = 0;
        for (int t = 0; t < n; t++) {
            if (m.tables().get(t).remove(region)) {
                cleared++;
            }
        }
        if (cleared > 0) {
            m.listener.onOptimizationCleared(region, cause, cleared);
        }
    }

    /**
     * RMPUPDATE computes the page number as an int ({@code (int) (spa >>> 12)}): past 8 TiB it wraps,
     * and the entry is stored under another page number than every reader looks at.
     */
    static final class IntPageIndex extends SimpleSnpMachine {
        IntPageIndex(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected long updatedPage(long spa) {
            return (int) (spa >>> 12);
        }
    }

    /**
     * Tables indexed per socket by a core's index within its NUMA node, as if each node had its own
     * socket: with several nodes per socket, cores of different nodes share a table.
     */
    static final class NumaNodeTables extends SimpleSnpMachine {
        NumaNodeTables(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected int tableIndex(int cpu) {
            dev.rmpopt.api.CpuTopology t = host.topology();
            if (options.tableScope() != dev.rmpopt.api.RmpoptTableScope.PER_CORE) {
                return super.tableIndex(cpu);
            }
            int perNode = Math.max(1, t.coresPerSocket() / t.numaNodesPerSocket());
            int inSocket = t.coreOf(cpu) % t.coresPerSocket();
            return t.socketOf(cpu) * t.coresPerSocket() + Math.min(inSocket % perNode, t.coresPerSocket() - 1);
        }
    }

    /**
     * SNP_INIT zeroes the tables and turns checks on first, then lets go of its lock for a moment
     * (as if it waited for the firmware) before it marks the RMP and firmware pages: a VERIFY in
     * between finds those regions clean and sets a bit that survives the marking.
     */
    static final class RacySnpInit extends SimpleSnpMachine {
        RacySnpInit(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void initSequence(Runnable markReservedPages, Runnable zeroTables) {
            zeroTables.run();
            letGo(this);
            markReservedPages.run();
        }
    }

    /**
     * PSMASH writes the first half of the 512 split entries, lets go of its lock for a moment, then
     * writes the rest: meanwhile the upper pages read as unassigned HYPERVISOR entries, and writes
     * to them are allowed although the range belongs to a guest throughout.
     */
    static final class RacyPsmash extends SimpleSnpMachine {
        RacyPsmash(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void splitEntries(long pfn, RmpEntry e, java.util.function.BiConsumer<Long, RmpEntry> put) {
            for (int i = 0; i < Geometry.PAGES_PER_2M; i++) {
                if (i == Geometry.PAGES_PER_2M / 2) {
                    letGo(this);
                }
                put.accept(pfn + i, splitForPsmash(e, i));
            }
        }
    }

    /** Releases {@code m}'s monitor (held by the caller) for about a millisecond. */
    private static void letGo(Object m) {
        try {
            m.wait(1);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Accepts what the SPI refuses, as both real backends once did: RMPOPT with a null function runs
     * as VERIFY (and sets bits), and a null access kind, accessor or mapping is taken as a
     * hypervisor write through a 4K mapping.
     */
    static final class AcceptsNulls extends SimpleSnpMachine {
        AcceptsNulls(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        public synchronized RmpoptResult rmpopt(int cpu, long spa, RmpoptFunction function) {
            return super.rmpopt(cpu, spa, function == null ? RmpoptFunction.VERIFY_AND_REPORT_STATUS : function);
        }

        @Override
        protected void requireArguments(dev.rmpopt.api.Accessor accessor, dev.rmpopt.api.AccessKind kind, MappingSize mapping) {
            // accepted: the access below fills in defaults
        }

        @Override
        public synchronized dev.rmpopt.api.AccessOutcome access(int cpu, dev.rmpopt.api.Accessor accessor, dev.rmpopt.api.AccessKind kind,
                                                                long spa, MappingSize mapping) {
            return super.access(cpu, accessor == null ? dev.rmpopt.api.Accessor.HYPERVISOR : accessor,
                    kind == null ? dev.rmpopt.api.AccessKind.WRITE : kind, spa, mapping == null ? MappingSize.SIZE_4K : mapping);
        }
    }

    /** Correct, but every REPORT_STATUS takes a millisecond: the kit's budgets must bound its run. */
    static final class SlowReport extends SimpleSnpMachine {
        SlowReport(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        public RmpoptResult rmpopt(int cpu, long spa, RmpoptFunction function) {
            if (function == RmpoptFunction.REPORT_STATUS) {
                LockSupport.parkNanos(1_000_000);
            }
            return super.rmpopt(cpu, spa, function);
        }
    }

    /**
     * Clears every table on every RMPUPDATE, whatever its region: safe, so every required rule
     * holds, but the optional exact-bits rule does not (it must be reported as skipped, not passed).
     */
    static final class ClearsEverything extends SimpleSnpMachine {
        ClearsEverything(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        protected void clearRegion(long region, ClearCause cause) {
            int n = 0;
            for (Set<Long> t : tables()) {
                n += t.contains(region) ? 1 : 0;
                t.clear();
            }
            if (n > 0) {
                listener.onOptimizationCleared(region, cause, n); // its own region's clear, reported as the SPI asks
            }
        }
    }

    /**
     * Does an IPI round in one call, word by word of the mask, as a fast backend does, but stops
     * after the first word: CPUs 64 and up of a round never run RMPOPT and read as CF=0.
     */
    static final class RoundStopsAfterFirstWord extends SimpleSnpMachine {
        RoundStopsAfterFirstWord(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        public RmpoptResults rmpoptOnCpus(CpuMask cpus, long spa, RmpoptFunction function) {
            java.util.Objects.requireNonNull(function, "function");
            if (cpus.length() > host.topology().cpuCount()) {
                throw new IllegalArgumentException("no CPU " + (cpus.length() - 1));
            }
            if (spa < 0) {
                throw new IllegalArgumentException("not a system physical address: " + spa);
            }
            long[] carry = new long[cpus.wordCount()];
            long[] ud = new long[cpus.wordCount()];
            for (int cpu = cpus.nextCpu(0); cpu >= 0 && cpu < 64; cpu = cpus.nextCpu(cpu + 1)) {
                RmpoptResult result = rmpopt(cpu, spa, function);
                if (result instanceof RmpoptResult.InvalidOpcode) {
                    ud[0] |= 1L << cpu;
                } else if (result.carry()) {
                    carry[0] |= 1L << cpu;
                }
            }
            return new RmpoptResults(cpus, carry, ud);
        }
    }

    /**
     * Keeps its own count of a region's assigned pages (as a fast backend does, for the kernel's cost
     * model and telemetry) but counts a 2M entry as one page instead of 512.
     */
    static final class AssignedPagesCounts2MOnce extends SimpleSnpMachine {
        AssignedPagesCounts2MOnce(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        public long assignedPages(long regionIndex) {
            if (regionIndex < 0 || regionIndex >= host().regionCount()) {
                throw new IllegalArgumentException("region " + regionIndex + " is not one of the host's " + host().regionCount());
            }
            long from = regionIndex * Geometry.PAGES_PER_REGION;
            return storedEntries(from, from + Geometry.PAGES_PER_REGION).stream().filter(RmpEntry::assigned).count();
        }
    }

    /**
     * Keeps its own first-assigned-page observation, right for every region of the host, but answers
     * -1 (no assigned page) for a region index past the host's last instead of refusing it, as a
     * bounds test written {@code >} instead of {@code >=} would.
     */
    static final class FirstAssignedPagePastTheEnd extends SimpleSnpMachine {
        FirstAssignedPagePastTheEnd(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        public long firstAssignedPage(long regionIndex) {
            return regionIndex == host().regionCount() ? -1 : super.firstAssignedPage(regionIndex);
        }
    }

    /**
     * Returns FAIL_INUSE with ModelOptions.failInUse on although no other CPU runs: every third
     * RMPUPDATE, changing nothing and reporting only itself (model §4.1 allows it only while another
     * CPU changes an entry of the region).
     */
    static final class SpuriousFailInUse extends SimpleSnpMachine {
        private int updates;

        SpuriousFailInUse(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        public synchronized dev.rmpopt.api.RmpReturnCode rmpUpdate(dev.rmpopt.api.Accessor caller, long spa, dev.rmpopt.api.RmpState state) {
            if (options().failInUse() && caller instanceof dev.rmpopt.api.Accessor.Hypervisor && state != null && ++updates % 3 == 0) {
                listener.onRmpUpdate(caller, spa, state, dev.rmpopt.api.RmpReturnCode.FAIL_INUSE);
                return dev.rmpopt.api.RmpReturnCode.FAIL_INUSE;
            }
            return super.rmpUpdate(caller, spa, state);
        }
    }

    /**
     * Returns FAIL_INUSE, with ModelOptions.failInUse on, when another CPU is inside RMPUPDATE too,
     * but has made the change all the same (and reports its event with FAIL_INUSE): a lock taken
     * after the update instead of before it. Only threads can show it.
     */
    static final class FailInUseAfterChange extends SimpleSnpMachine {
        private static final ThreadLocal<Boolean> REWRITE = ThreadLocal.withInitial(() -> false);
        private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

        FailInUseAfterChange(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, new RmpEventListener() {
                @Override
                public void onRmpUpdate(dev.rmpopt.api.Accessor caller, long spa, dev.rmpopt.api.RmpState state, dev.rmpopt.api.RmpReturnCode result) {
                    listener.onRmpUpdate(caller, spa, state, REWRITE.get() ? dev.rmpopt.api.RmpReturnCode.FAIL_INUSE : result);
                }

                @Override
                public void onPsmash(dev.rmpopt.api.Accessor caller, long spa, dev.rmpopt.api.RmpReturnCode result) {
                    listener.onPsmash(caller, spa, result);
                }

                @Override
                public void onPvalidate(dev.rmpopt.api.Accessor.SnpGuest guest, long spa, PageSize size, boolean validated,
                                        dev.rmpopt.api.PvalidateResult result) {
                    listener.onPvalidate(guest, spa, size, validated, result);
                }

                @Override
                public void onFirmwareCommand(dev.rmpopt.api.FirmwareCommand command, int asid, long spa, dev.rmpopt.api.FirmwareStatus status) {
                    listener.onFirmwareCommand(command, asid, spa, status);
                }

                @Override
                public void onRmpoptBaseWrite(int cpu, long value, dev.rmpopt.api.WrmsrResult result) {
                    listener.onRmpoptBaseWrite(cpu, value, result);
                }

                @Override
                public void onRmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) {
                    listener.onRmpopt(cpu, regionBase, function, result);
                }

                @Override
                public void onRmpoptRound(CpuMask cpus, long regionBase, RmpoptFunction function, RmpoptResults results) {
                    listener.onRmpoptRound(cpus, regionBase, function, results);
                }

                @Override
                public void onOptimizationCleared(long regionIndex, ClearCause cause, int tablesCleared) {
                    listener.onOptimizationCleared(regionIndex, cause, tablesCleared);
                }

                @Override
                public void onAllTablesCleared(ClearCause cause) {
                    listener.onAllTablesCleared(cause);
                }

                @Override
                public void onAccess(int cpu, dev.rmpopt.api.Accessor accessor, dev.rmpopt.api.AccessKind kind, long spa, MappingSize mapping,
                                     dev.rmpopt.api.AccessOutcome outcome) {
                    listener.onAccess(cpu, accessor, kind, spa, mapping, outcome);
                }
            });
        }

        @Override
        public dev.rmpopt.api.RmpReturnCode rmpUpdate(dev.rmpopt.api.Accessor caller, long spa, dev.rmpopt.api.RmpState state) {
            boolean contended = inFlight.incrementAndGet() > 1 && options().failInUse();
            REWRITE.set(contended);
            try {
                dev.rmpopt.api.RmpReturnCode rc = super.rmpUpdate(caller, spa, state);
                return contended ? dev.rmpopt.api.RmpReturnCode.FAIL_INUSE : rc;
            } finally {
                REWRITE.set(false);
                inFlight.decrementAndGet();
            }
        }
    }

    /**
     * Not broken: the control for the two above. With ModelOptions.failInUse on, an RMPUPDATE or
     * PSMASH that finds another CPU inside RMPUPDATE or PSMASH returns FAIL_INUSE at once, changing
     * nothing and reporting only itself, as model §4.1 allows; the kit must accept it.
     */
    static final class HonestFailInUse extends SimpleSnpMachine {
        private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        /** FAIL_INUSE returned by every machine of this class, for the test that needs contention met. */
        static final java.util.concurrent.atomic.AtomicLong RETURNED = new java.util.concurrent.atomic.AtomicLong();

        HonestFailInUse(HostDescription host, ModelOptions options, RmpEventListener listener) {
            super(host, options, listener);
        }

        @Override
        public dev.rmpopt.api.RmpReturnCode rmpUpdate(dev.rmpopt.api.Accessor caller, long spa, dev.rmpopt.api.RmpState state) {
            try {
                if (inFlight.incrementAndGet() > 1 && options().failInUse() && caller != null && state != null) {
                    RETURNED.incrementAndGet();
                    listener.onRmpUpdate(caller, spa, state, dev.rmpopt.api.RmpReturnCode.FAIL_INUSE);
                    return dev.rmpopt.api.RmpReturnCode.FAIL_INUSE;
                }
                return super.rmpUpdate(caller, spa, state);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public dev.rmpopt.api.RmpReturnCode psmash(dev.rmpopt.api.Accessor caller, long spa) {
            try {
                if (inFlight.incrementAndGet() > 1 && options().failInUse() && caller != null) {
                    RETURNED.incrementAndGet();
                    listener.onPsmash(caller, spa, dev.rmpopt.api.RmpReturnCode.FAIL_INUSE);
                    return dev.rmpopt.api.RmpReturnCode.FAIL_INUSE;
                }
                return super.psmash(caller, spa);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }
}
