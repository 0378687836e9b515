package dev.rmpopt.telemetry;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.CpuMask;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptResults;
import dev.rmpopt.api.WrmsrResult;
import dev.rmpopt.kernel.KernelListener;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.PassTrigger;
import dev.rmpopt.kernel.SetupResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The counters of one modelled host, fed by the event SPI (model §4 and §5) and by the kernel
 * kernel's setup and passes (model §7): register it as the machine's {@link RmpEventListener} and as
 * the kernel's {@link KernelListener}. It is the one owner of these facts: the HTML report, the JSON
 * snapshot, the Prometheus meters and the command line's summary all read them here.
 *
 * <ul>
 *   <li>host-side writes by {@link WriteOutcome}, per 1 GiB region and per physical core, and SNP
 *       guests' own writes by outcome;</li>
 *   <li>RMPOPT instructions by {@link RmpoptOutcome} (VERIFY won, failed, #UD; REPORT CF=1, CF=0,
 *       #UD), per region and per core;</li>
 *   <li>optimization clears by {@link ClearCause}, per region, with the tables they cleared; whole-table
 *       clears by cause; RMPOPT_BASE writes that took effect (each resets its core's table);</li>
 *   <li>RMPUPDATE and PSMASH by return code;</li>
 *   <li>the kernel's pass range, every pass with its instructions, IPI rounds and modelled duration,
 *       and totals by trigger;</li>
 *   <li>the coverage samples a {@link CoverageSampler} takes.</li>
 * </ul>
 *
 * <p>Thread-safe. An event costs one or two atomic increments and allocates nothing (a
 * {@link java.util.concurrent.atomic.LongAdder} may grow its cells once under contention). An IPI
 * round ({@link #onRmpoptRound}) is counted whole, in O(CPUs / 64) word operations. A
 * snapshot's totals are always the sum of its regions; its per-core split adds up to the same
 * totals whenever no event is in flight, which is how a simulation takes it.
 *
 * <p><b>Observer attribution.</b> Looking at the tables takes REPORT_STATUS instructions (the
 * debugfs file runs one per region and CPU; a coverage sample one per region and core). They are
 * not the workload's, so REPORT_STATUS events on a thread inside {@link #observe} are counted
 * apart, as observer REPORTs, and left out of the per-region and per-core figures. VERIFY is
 * always counted: it changes state, whoever runs it.
 */
public final class RmpTelemetry implements RmpEventListener, KernelListener {

    private final HostDescription host;
    private final int regions;
    private final int[] coreOfCpu;
    private final SplitCounter[] writes = new SplitCounter[WriteOutcome.values().length];
    private final LongAdder[] snpGuestWrites = adders(WriteOutcome.values().length);
    private final SplitCounter[] rmpopt = new SplitCounter[RmpoptOutcome.values().length];
    private final LongAdder[] observerRmpopt = adders(RmpoptOutcome.values().length);
    private final SplitCounter[] clears = new SplitCounter[ClearCause.values().length];
    private final LongAdder[] tablesCleared = adders(ClearCause.values().length);
    private final LongAdder[] allTablesCleared = adders(ClearCause.values().length);
    private final LongAdder rmpoptBaseWrites = new LongAdder();
    private final LongAdder[] rmpUpdates = adders(RmpReturnCode.values().length);
    private final LongAdder[] psmashes = adders(RmpReturnCode.values().length);
    /** Which cores hold each region's bit, from the events (model §4): coverage in O(regions) per sample. */
    private final CoverageShadow shadow;
    private final ThreadLocal<Boolean> observing = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final Object lock = new Object();
    private final List<PassRecord> passes = new ArrayList<>();
    private final Map<PassTrigger, PassTotals> passTotals = new EnumMap<>(PassTrigger.class);
    private final List<CoverageSample> coverage = new ArrayList<>();
    /** Told of every pass, past and future, in order (meters that record distributions). */
    private final List<Consumer<PassRecord>> passObservers = new ArrayList<>();
    private PhysRange passRange;

    /** Zeroed counters for {@code host}. */
    public RmpTelemetry(HostDescription host) {
        this.host = Objects.requireNonNull(host, "host");
        this.regions = Math.toIntExact(host.regionCount());
        CpuTopology topology = host.topology();
        this.coreOfCpu = new int[topology.cpuCount()];
        for (int cpu = 0; cpu < coreOfCpu.length; cpu++) {
            coreOfCpu[cpu] = topology.coreOf(cpu);
        }
        int cores = topology.coreCount();
        this.shadow = new CoverageShadow(regions, cores, topology.threadsPerCore());
        for (int i = 0; i < writes.length; i++) {
            writes[i] = new SplitCounter(regions, cores);
        }
        for (int i = 0; i < rmpopt.length; i++) {
            rmpopt[i] = new SplitCounter(regions, cores, coreOfCpu);
        }
        for (int i = 0; i < clears.length; i++) {
            clears[i] = new SplitCounter(regions, 0);
        }
        for (PassTrigger trigger : PassTrigger.values()) {
            passTotals.put(trigger, PassTotals.NONE);
        }
    }

    /** The host counted. */
    public HostDescription host() {
        return host;
    }

    // ------------------------------------------------------------------ events (the write path)

    @Override
    public void onAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
        if (kind != AccessKind.WRITE) {
            return;
        }
        if (accessor.mayUseRmpopt()) {
            writes[WriteOutcome.of(outcome).ordinal()].increment(slot(Geometry.regionIndex(spa)), coreOfCpu[cpu]);
        } else {
            snpGuestWrites[WriteOutcome.of(outcome).ordinal()].increment();
        }
    }

    @Override
    public void onRmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) {
        RmpoptOutcome outcome = RmpoptOutcome.of(function, result);
        if (!outcome.isVerify() && observing.get()) {
            observerRmpopt[outcome.ordinal()].increment();
            return;
        }
        int slot = slot(Geometry.regionIndex(regionBase));
        rmpopt[outcome.ordinal()].increment(slot, coreOfCpu[cpu]);
        if (outcome == RmpoptOutcome.VERIFY_WON) {
            shadow.verified(slot, cpu);
        }
    }

    /**
     * A round counted whole (model §7): per outcome, one add of its CPU count to the region and its
     * CPU mask into bit-sliced per-CPU counts, O(CPUs / 64); never one increment per CPU.
     */
    @Override
    public void onRmpoptRound(CpuMask cpus, long regionBase, RmpoptFunction function, RmpoptResults results) {
        int n = cpus.wordCount();
        long[] ud = new long[n];
        long[] carry = new long[n];
        long[] clear = new long[n];
        int udCount = 0;
        int carryCount = 0;
        int clearCount = 0;
        for (int i = 0; i < n; i++) {
            ud[i] = results.invalidOpcodeWord(i);
            carry[i] = results.carryWord(i);
            clear[i] = cpus.word(i) & ~ud[i] & ~carry[i];
            udCount += Long.bitCount(ud[i]);
            carryCount += Long.bitCount(carry[i]);
            clearCount += Long.bitCount(clear[i]);
        }
        boolean verify = function == RmpoptFunction.VERIFY_AND_REPORT_STATUS;
        RmpoptOutcome won = verify ? RmpoptOutcome.VERIFY_WON : RmpoptOutcome.REPORT_SET;
        RmpoptOutcome failed = verify ? RmpoptOutcome.VERIFY_FAILED : RmpoptOutcome.REPORT_CLEAR;
        RmpoptOutcome invalid = verify ? RmpoptOutcome.VERIFY_UD : RmpoptOutcome.REPORT_UD;
        if (!verify && observing.get()) {
            observerRmpopt[won.ordinal()].add(carryCount);
            observerRmpopt[failed.ordinal()].add(clearCount);
            observerRmpopt[invalid.ordinal()].add(udCount);
            return;
        }
        int slot = slot(Geometry.regionIndex(regionBase));
        rmpopt[won.ordinal()].addRound(slot, carry, carryCount);
        rmpopt[failed.ordinal()].addRound(slot, clear, clearCount);
        rmpopt[invalid.ordinal()].addRound(slot, ud, udCount);
        if (verify && carryCount > 0) {
            shadow.verified(slot, carry);
        }
    }

    @Override
    public void onOptimizationCleared(long regionIndex, ClearCause cause, int tables) {
        clears[cause.ordinal()].increment(slot(regionIndex));
        tablesCleared[cause.ordinal()].add(tables);
        shadow.regionCleared(regionIndex);
    }

    @Override
    public void onAllTablesCleared(ClearCause cause) {
        allTablesCleared[cause.ordinal()].increment();
        shadow.allCleared();
    }

    @Override
    public void onRmpoptBaseWrite(int cpu, long value, WrmsrResult result) {
        if (result instanceof WrmsrResult.Written) {
            rmpoptBaseWrites.increment();
            shadow.coreReset(coreOfCpu[cpu]);
        }
    }

    /**
     * Per region, the cores holding its bit as the events tell (see {@link CoverageShadow}): what
     * REPORT_STATUS on every primary thread would answer, in O(regions).
     *
     * @param perCore whether the machine's tables are per core (else per logical CPU)
     */
    int[] optimizedCoresFromEvents(boolean perCore) {
        return shadow.optimizedCores(perCore);
    }

    @Override
    public void onRmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) {
        rmpUpdates[result.ordinal()].increment();
    }

    @Override
    public void onPsmash(Accessor caller, long spa, RmpReturnCode result) {
        psmashes[result.ordinal()].increment();
    }

    /** Records the range the kernel's passes cover, for the report and the coverage over that range. */
    @Override
    public void onSetup(SetupResult setup) {
        synchronized (lock) {
            passRange = setup.passRange();
        }
    }

    @Override
    public void onPass(PassRecord pass) {
        synchronized (lock) {
            passes.add(pass);
            passTotals.merge(pass.trigger(), PassTotals.NONE, (old, none) -> old.plus(pass));
            passObservers.forEach(o -> o.accept(pass));
        }
    }

    /** Tells {@code observer} of every pass so far, then of each later one, in order. */
    void observePasses(Consumer<PassRecord> observer) {
        synchronized (lock) {
            passes.forEach(observer);
            passObservers.add(observer);
        }
    }

    // ------------------------------------------------------------------ observers and samples

    /**
     * Runs {@code action} on this thread as an observer: its REPORT_STATUS instructions are counted
     * as observer REPORTs, not as the workload's. Wrap every look at the tables in it, for example
     * {@code telemetry.observe(() -> DebugfsRmpoptTable.lines(machine, range))}.
     */
    public <T> T observe(Supplier<T> action) {
        Boolean outer = observing.get();
        observing.set(Boolean.TRUE);
        try {
            return action.get();
        } finally {
            observing.set(outer);
        }
    }

    void recordCoverage(CoverageSample sample) {
        if (sample.optimizedCores().length != regions) {
            throw new IllegalArgumentException("a coverage sample has one entry per region: " + regions
                    + ", not " + sample.optimizedCores().length);
        }
        synchronized (lock) {
            if (!coverage.isEmpty() && coverage.get(coverage.size() - 1).timeNanos() > sample.timeNanos()) {
                throw new IllegalArgumentException("coverage samples must come in time order: "
                        + sample.timeNanos() + " is before " + coverage.get(coverage.size() - 1).timeNanos());
            }
            coverage.add(sample);
        }
    }

    // ------------------------------------------------------------------ reading

    /** Host-side writes with {@code outcome} so far. */
    public long writes(WriteOutcome outcome) {
        return writes[outcome.ordinal()].total();
    }

    /** SNP guests' own writes with {@code outcome} so far (always checked, model §5). */
    public long snpGuestWrites(WriteOutcome outcome) {
        return snpGuestWrites[outcome.ordinal()].sum();
    }

    /** RMPOPT instructions of the workload (observers excluded) with {@code outcome} so far. */
    public long rmpopt(RmpoptOutcome outcome) {
        return rmpopt[outcome.ordinal()].total();
    }

    /** Observer REPORT_STATUS instructions with {@code outcome} so far (see {@link #observe}). */
    public long observerRmpopt(RmpoptOutcome outcome) {
        return observerRmpopt[outcome.ordinal()].sum();
    }

    /** Clear events of {@code cause} so far. */
    public long clears(ClearCause cause) {
        return clears[cause.ordinal()].total();
    }

    /** Tables whose bit was cleared by {@code cause} so far. */
    public long tablesCleared(ClearCause cause) {
        return tablesCleared[cause.ordinal()].sum();
    }

    /** Whole-table clears of {@code cause} so far. */
    public long allTablesCleared(ClearCause cause) {
        return allTablesCleared[cause.ordinal()].sum();
    }

    /** RMPOPT_BASE writes that took effect so far. */
    public long rmpoptBaseWrites() {
        return rmpoptBaseWrites.sum();
    }

    /** RMPUPDATEs that returned {@code code} so far. */
    public long rmpUpdates(RmpReturnCode code) {
        return rmpUpdates[code.ordinal()].sum();
    }

    /** PSMASHes that returned {@code code} so far. */
    public long psmashes(RmpReturnCode code) {
        return psmashes[code.ordinal()].sum();
    }

    /** The passes of {@code trigger} so far, added up. */
    public PassTotals passTotals(PassTrigger trigger) {
        synchronized (lock) {
            return passTotals.get(trigger);
        }
    }

    /** The latest coverage sample, or null before the first. */
    public CoverageSample latestCoverage() {
        synchronized (lock) {
            return coverage.isEmpty() ? null : coverage.get(coverage.size() - 1);
        }
    }

    /** Every counter, pass and sample as they are now, stamped with simulated time {@code timeNanos}. */
    public TelemetrySnapshot snapshot(long timeNanos) {
        Map<WriteOutcome, CounterSeries> w = new EnumMap<>(WriteOutcome.class);
        for (WriteOutcome o : WriteOutcome.values()) {
            w.put(o, writes[o.ordinal()].snapshot());
        }
        Map<WriteOutcome, Long> guest = new EnumMap<>(WriteOutcome.class);
        for (WriteOutcome o : WriteOutcome.values()) {
            guest.put(o, snpGuestWrites[o.ordinal()].sum());
        }
        Map<RmpoptOutcome, CounterSeries> r = new EnumMap<>(RmpoptOutcome.class);
        Map<RmpoptOutcome, Long> observer = new EnumMap<>(RmpoptOutcome.class);
        for (RmpoptOutcome o : RmpoptOutcome.values()) {
            r.put(o, rmpopt[o.ordinal()].snapshot());
            observer.put(o, observerRmpopt[o.ordinal()].sum());
        }
        Map<ClearCause, ClearCounts> c = new EnumMap<>(ClearCause.class);
        Map<ClearCause, Long> all = new EnumMap<>(ClearCause.class);
        for (ClearCause cause : ClearCause.values()) {
            c.put(cause, new ClearCounts(clears[cause.ordinal()].snapshot(), tablesCleared[cause.ordinal()].sum()));
            all.put(cause, allTablesCleared[cause.ordinal()].sum());
        }
        Map<RmpReturnCode, Long> updates = new EnumMap<>(RmpReturnCode.class);
        Map<RmpReturnCode, Long> smashes = new EnumMap<>(RmpReturnCode.class);
        for (RmpReturnCode code : RmpReturnCode.values()) {
            updates.put(code, rmpUpdates[code.ordinal()].sum());
            smashes.put(code, psmashes[code.ordinal()].sum());
        }
        synchronized (lock) {
            return new TelemetrySnapshot(HostLayout.of(host, passRange), timeNanos, w, guest, r, observer, c, all,
                    rmpoptBaseWrites.sum(), updates, smashes, passTotals, passes, coverage);
        }
    }

    private int slot(long regionIndex) {
        return regionIndex < regions ? (int) regionIndex : regions;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
