package dev.rmpopt.core.scalable;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_2M;
import static dev.rmpopt.api.Geometry.PAGE_4K;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.ClearPolicy;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.SnpMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Threads acting as CPUs race writes, RMPUPDATE, PSMASH, PVALIDATE, RMPOPT, WRMSR and RMPREAD on
 * the scalable backend; the model §6 invariants are checked at quiescent points and against the
 * recorded history afterwards.
 *
 * <p>Each of a few regions has one owner thread, the only one that changes it, so the test knows
 * exactly when each region is dirty: from the moment an assigning update returned (or anybody
 * observed the new assignment, whichever is first) until the update that frees it starts. No
 * write may be skipped, no VERIFY or REPORT_STATUS may return CF=1, wholly inside such an interval
 * (I1, I2, I3). At quiescent points every CF=1 bit must sit on a clean region and every entry must
 * be consistent (I1, I6).
 *
 * <p>Bounded by time and operations ({@code -Drmpopt.stress.millis}); no assertion depends on
 * timing, only on the order the clock recorded.
 */
class ConcurrencyStressTest {
    static final long MILLIS = Long.getLong("rmpopt.stress.millis", 2500);
    static final int MAX_OPS_PER_THREAD = 400_000;
    static final long[] OWNED_REGIONS = {1, 2, 5};
    static final int ASID = 7;

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of(ModelOptions.DEFAULTS),
                Arguments.of(ModelOptions.DEFAULTS.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU)
                        .withClearPolicy(ClearPolicy.ASSIGN_ONLY)));
    }

    final AtomicLong clock = new AtomicLong();
    volatile boolean pause;
    volatile boolean stop;
    SnpMachine machine;
    /** Quiescent points: every worker is registered; each arrives twice (stopped, resumed) when asked to pause. */
    final Phaser phaser = new Phaser(1);
    /** Per owned region: what its owner holds now (0 nothing, else the SPA of a 4K page or 2M range, tagged). */
    final AtomicLong[] held = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    /** Per owned region: the page its owner is about to assign or holds, so the others aim at it. */
    final AtomicLong[] target = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    static final long LARGE = 1;

    static long pageOf(long region, int i) {
        // 8 pages in two 2 MiB ranges of the region, and the range bases themselves
        return region * GIB + (i < 4 ? 0 : 37 * PAGE_2M) + (i % 4) * 9 * PAGE_4K;
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void invariantsHoldInEveryInterleaving(ModelOptions options) throws Exception {
        HostDescription host = HostDescription.standard(new CpuTopology(1, 4, 2), 8 * GIB);
        machine = new ScalableBackendProvider().create(host, options, RmpEventListener.NONE);
        assertEquals(FirmwareStatus.SUCCESS, machine.snpInit());
        for (int cpu : host.topology().primaryThreads()) {
            machine.wrmsrRmpoptBase(cpu, RmpoptBase.ENABLE);
        }

        List<Runnable> bodies = new ArrayList<>();
        List<History> histories = new ArrayList<>();
        for (int k = 0; k < OWNED_REGIONS.length; k++) {
            History h = new History();
            histories.add(h);
            int owner = k;
            bodies.add(() -> owner(owner, h));
        }
        // verifiers on cores 0 and 1; writers on their SMT siblings and on core 2, whose sibling
        // verifies and rewrites RMPOPT_BASE now and then; one RMPREAD observer
        for (int cpu : new int[] {0, 1}) {
            History h = new History();
            histories.add(h);
            bodies.add(() -> verifier(cpu, false, h));
        }
        History msrVerifier = new History();
        histories.add(msrVerifier);
        bodies.add(() -> verifier(6, true, msrVerifier));
        // IPI rounds (rmpoptOnCpus) on both threads of core 3, which rewrite its RMPOPT_BASE now and then
        History rounds = new History();
        histories.add(rounds);
        bodies.add(() -> roundVerifier(new int[] {3, 7}, rounds));
        for (int cpu : new int[] {4, 5, 2}) {
            History h = new History();
            histories.add(h);
            bodies.add(() -> writer(cpu, h));
        }
        History reader = new History();
        histories.add(reader);
        bodies.add(() -> reader(reader));

        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Runnable body : bodies) {
            phaser.register();
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                    stop = true;
                } finally {
                    phaser.arriveAndDeregister();
                }
            });
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MILLIS);
        int quiescentChecks = 0;
        while (System.nanoTime() < deadline && !stop) {
            Thread.sleep(MILLIS / 6);
            pause = true;
            phaser.arriveAndAwaitAdvance();
            pause = false;
            if (stop) {
                break;
            }
            checkQuiescentState(host);
            quiescentChecks++;
            phaser.arriveAndAwaitAdvance();
        }
        stop = true;
        phaser.arriveAndDeregister();
        for (Thread t : threads) {
            t.join(10_000);
        }
        synchronized (failures) {
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError("a worker failed");
                failures.forEach(error::addSuppressed);
                throw error;
            }
        }
        assertTrue(quiescentChecks > 0);
        checkHistory(histories);
    }

    /** Waits at the barrier twice if the main thread asked for a quiescent point. */
    void maybePause() {
        if (pause) {
            phaser.arriveAndAwaitAdvance();
            phaser.arriveAndAwaitAdvance();
        }
    }

    boolean running(int ops) {
        maybePause();
        return !stop && ops < MAX_OPS_PER_THREAD;
    }

    void owner(int k, History h) {
        long region = OWNED_REGIONS[k];
        SplittableRandom random = new SplittableRandom(k);
        Accessor.SnpGuest guest = new Accessor.SnpGuest(ASID);
        for (int ops = 0; running(ops); ops++) {
            if (random.nextInt(8) == 0) {
                // a 2M guest range, split, then freed page by page
                long range = region * GIB + 37 * PAGE_2M;
                target[k].set(range);
                long s = clock.incrementAndGet();
                RmpReturnCode rc = machine.rmpUpdate(range, RmpState.guestPrivate(ASID, 0, PageSize.SIZE_2M, false));
                long e = clock.incrementAndGet();
                assertEquals(RmpReturnCode.SUCCESS, rc);
                held[k].set(range | LARGE);
                h.add(History.ASSIGN, s, e, -1, region, range);
                assertEquals(RmpReturnCode.SUCCESS, machine.psmash(range));
                for (int i = 0; i < 512; i++) {
                    long page = range + i * PAGE_4K;
                    s = clock.incrementAndGet();
                    if (i == 511) {
                        held[k].set(0);
                    }
                    assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(page, RmpState.shared()));
                    e = clock.incrementAndGet();
                    if (i == 511) {
                        h.add(History.CLEAN, s, e, -1, region, range);
                    }
                }
                continue;
            }
            long page = pageOf(region, random.nextInt(8));
            target[k].set(page);
            long s = clock.incrementAndGet();
            RmpReturnCode rc = machine.rmpUpdate(page, RmpState.guestPrivate(ASID, page, PageSize.SIZE_4K, false));
            long e = clock.incrementAndGet();
            assertEquals(RmpReturnCode.SUCCESS, rc);
            held[k].set(page);
            h.add(History.ASSIGN, s, e, -1, region, page);
            machine.pvalidate(guest, page, PageSize.SIZE_4K, true);
            for (int i = random.nextInt(200); i > 0; i--) {
                Thread.onSpinWait();
            }
            s = clock.incrementAndGet();
            held[k].set(0);
            rc = machine.rmpUpdate(page, RmpState.shared());
            e = clock.incrementAndGet();
            assertEquals(RmpReturnCode.SUCCESS, rc);
            h.add(History.CLEAN, s, e, -1, region, page);
            for (int i = random.nextInt(2000); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }

    void verifier(int cpu, boolean rewritesMsr, History h) {
        SplittableRandom random = new SplittableRandom(cpu);
        for (int ops = 0; running(ops); ops++) {
            if (rewritesMsr && random.nextInt(500) == 0) {
                machine.wrmsrRmpoptBase(cpu, RmpoptBase.ENABLE);
                continue;
            }
            long region = OWNED_REGIONS[random.nextInt(OWNED_REGIONS.length)];
            RmpoptFunction f = random.nextInt(4) == 0 ? RmpoptFunction.REPORT_STATUS : RmpoptFunction.VERIFY_AND_REPORT_STATUS;
            long s = clock.incrementAndGet();
            boolean cf = machine.rmpopt(cpu, region * GIB, f).carry();
            long e = clock.incrementAndGet();
            int kind = f == RmpoptFunction.REPORT_STATUS ? (cf ? History.REPORT_SET : History.REPORT_CLEAR)
                    : (cf ? History.VERIFY_SET : History.VERIFY_CLEAR);
            h.add(kind, s, e, cpu, region, -1);
        }
    }

    /** Rounds of VERIFY or REPORT_STATUS on {@code cpus} at once; each CPU's result recorded as its own instruction. */
    void roundVerifier(int[] cpus, History h) {
        SplittableRandom random = new SplittableRandom(cpus[0] * 31L);
        dev.rmpopt.api.CpuMask mask = dev.rmpopt.api.CpuMask.of(cpus);
        for (int ops = 0; running(ops); ops++) {
            if (random.nextInt(500) == 0) {
                machine.wrmsrRmpoptBase(cpus[0], RmpoptBase.ENABLE);
                continue;
            }
            long region = OWNED_REGIONS[random.nextInt(OWNED_REGIONS.length)];
            RmpoptFunction f = random.nextInt(4) == 0 ? RmpoptFunction.REPORT_STATUS : RmpoptFunction.VERIFY_AND_REPORT_STATUS;
            long s = clock.incrementAndGet();
            dev.rmpopt.api.RmpoptResults results = machine.rmpoptOnCpus(mask, region * GIB, f);
            long e = clock.incrementAndGet();
            for (int cpu : cpus) {
                boolean cf = results.carry(cpu);
                int kind = f == RmpoptFunction.REPORT_STATUS ? (cf ? History.REPORT_SET : History.REPORT_CLEAR)
                        : (cf ? History.VERIFY_SET : History.VERIFY_CLEAR);
                h.add(kind, s, e, cpu, region, -1);
            }
        }
    }

    void writer(int cpu, History h) {
        SplittableRandom random = new SplittableRandom(100 + cpu);
        for (int ops = 0; running(ops); ops++) {
            int k = random.nextInt(OWNED_REGIONS.length);
            long region = OWNED_REGIONS[k];
            if (random.nextInt(64) == 0) {
                // writers verify too: with per-CPU tables nobody else sets their bits
                long s = clock.incrementAndGet();
                boolean cf = machine.rmpopt(cpu, region * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry();
                long e = clock.incrementAndGet();
                h.add(cf ? History.VERIFY_SET : History.VERIFY_CLEAR, s, e, cpu, region, -1);
                continue;
            }
            long hint = target[k].get();
            long page = random.nextBoolean() && hint != 0 ? hint + (random.nextInt(3) * PAGE_4K) : pageOf(region, random.nextInt(8));
            MappingSize mapping = random.nextInt(4) == 0 ? MappingSize.SIZE_2M : MappingSize.SIZE_4K;
            // look the page up first, as a hypervisor would: if it is assigned, the write that
            // follows must not be skipped
            long s = clock.incrementAndGet();
            boolean assigned = machine.rmpRead(page).entry().assigned();
            long e = clock.incrementAndGet();
            if (assigned) {
                h.add(History.READ_ASSIGNED, s, e, cpu, region, page);
            }
            s = clock.incrementAndGet();
            AccessOutcome outcome = machine.write(cpu, Accessor.HYPERVISOR, page, mapping);
            e = clock.incrementAndGet();
            int kind = outcome == AccessOutcome.SKIPPED ? History.WRITE_SKIPPED
                    : outcome.allowed() ? History.WRITE_CHECKED : History.WRITE_FAULTED;
            h.add(kind, s, e, cpu, region, mapping == MappingSize.SIZE_4K ? page : -page);
        }
    }

    void reader(History h) {
        SplittableRandom random = new SplittableRandom(99);
        for (int ops = 0; running(ops); ops++) {
            int k = random.nextInt(OWNED_REGIONS.length);
            long hint = target[k].get();
            long page = hint != 0 ? hint : pageOf(OWNED_REGIONS[k], random.nextInt(8));
            long s = clock.incrementAndGet();
            RmpEntry entry = machine.rmpRead(page).entry();
            long e = clock.incrementAndGet();
            if (entry.assigned()) {
                h.add(History.READ_ASSIGNED, s, e, -1, OWNED_REGIONS[k], page);
            }
        }
    }

    /** Every worker waits at the barrier: I1 for every table and region, I6 for the owned pages, I4 for clean regions. */
    void checkQuiescentState(HostDescription host) {
        int cpus = host.topology().cpuCount();
        for (int k = 0; k < OWNED_REGIONS.length; k++) {
            long region = OWNED_REGIONS[k];
            long holding = held[k].get();
            boolean dirty = holding != 0;
            for (int cpu = 0; cpu < cpus; cpu++) {
                boolean bit = machine.rmpopt(cpu, region * GIB, RmpoptFunction.REPORT_STATUS).carry();
                assertTrue(!bit || !dirty, "I1: CPU " + cpu + " holds region " + region + " while it has an assigned page");
            }
            for (int i = 0; i < 8; i++) {
                long page = pageOf(region, i);
                RmpEntry entry = machine.rmpRead(page).entry();
                boolean shouldBeAssigned = holding == page || (holding & LARGE) != 0 && (page & -PAGE_2M) == (holding & ~LARGE);
                assertEquals(shouldBeAssigned, entry.assigned(), "entry of " + Long.toHexString(page));
                assertTrue(!entry.validated() || entry.assigned(), "I6: validated implies assigned");
                assertTrue(!entry.assigned() || entry.asid() == ASID, "I6: guest pages have the guest's ASID");
            }
            // I4 on a clean region: VERIFY sets, REPORT_STATUS then agrees on the CPU and its sibling
            int cpu = 3;
            boolean cf = machine.rmpopt(cpu, region * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry();
            assertEquals(!dirty, cf, "VERIFY of region " + region);
            if (cf && machine.options().tableScope() == RmpoptTableScope.PER_CORE) {
                assertTrue(machine.rmpopt(7, region * GIB, RmpoptFunction.REPORT_STATUS).carry(), "I4: the sibling shares the table");
            }
        }
    }

    /** No skipped write, CF=1 VERIFY or CF=1 REPORT_STATUS wholly inside a dirty interval of its region. */
    void checkHistory(List<History> histories) {
        // dirty intervals per owned region, in order: [from, to) in clock ticks
        List<long[]> intervals = new ArrayList<>();
        for (int k = 0; k < OWNED_REGIONS.length; k++) {
            History h = histories.get(k);
            List<long[]> list = new ArrayList<>();
            for (int i = 0; i + 1 < h.count(); i += 2) {
                assertEquals(History.ASSIGN, h.get(i, History.KIND));
                assertEquals(History.CLEAN, h.get(i + 1, History.KIND));
                // {assign start, dirty from, clean start}
                list.add(new long[] {h.get(i, History.START), h.get(i, History.END), h.get(i + 1, History.START)});
            }
            if (h.count() % 2 == 1) {
                int last = h.count() - 1;
                list.add(new long[] {h.get(last, History.START), h.get(last, History.END), Long.MAX_VALUE});
            }
            intervals.add(list.stream().flatMapToLong(java.util.Arrays::stream).toArray());
        }
        // anyone seeing the assignment makes it dirty from then on, even before the update returned
        for (History h : histories) {
            for (int i = 0; i < h.count(); i++) {
                int kind = (int) h.get(i, History.KIND);
                boolean sawDirty = kind == History.READ_ASSIGNED || kind == History.VERIFY_CLEAR
                        || kind == History.WRITE_FAULTED;
                if (sawDirty) {
                    long[] iv = intervals.get(indexOf(h.get(i, History.REGION)));
                    int j = intervalOf(iv, h.get(i, History.START));
                    if (j >= 0 && h.get(i, History.START) < iv[3 * j + 2]) {
                        iv[3 * j + 1] = Math.min(iv[3 * j + 1], h.get(i, History.END));
                    }
                }
            }
        }
        long skipped = 0;
        long verified = 0;
        long roundsSet = 0;
        for (History h : histories) {
            for (int i = 0; i < h.count(); i++) {
                roundsSet += h.get(i, History.KIND) == History.VERIFY_SET && h.get(i, History.CPU) == 7 ? 1 : 0;
            }
        }
        assertTrue(roundsSet > 0, "no round VERIFY set a bit");
        for (History h : histories) {
            for (int i = 0; i < h.count(); i++) {
                int kind = (int) h.get(i, History.KIND);
                if (kind == History.WRITE_SKIPPED) {
                    skipped++;
                }
                if (kind == History.VERIFY_SET) {
                    verified++;
                }
                if (kind != History.WRITE_SKIPPED && kind != History.VERIFY_SET && kind != History.REPORT_SET) {
                    continue;
                }
                long[] iv = intervals.get(indexOf(h.get(i, History.REGION)));
                long start = h.get(i, History.START);
                long end = h.get(i, History.END);
                int j = intervalOf(iv, start);
                if (j >= 0 && start > iv[3 * j + 1] && end < iv[3 * j + 2]) {
                    throw new AssertionError("kind " + kind + " on CPU " + h.get(i, History.CPU) + ", region "
                            + h.get(i, History.REGION) + " during [" + start + ", " + end + "] returned CF=1 or skipped, but the region"
                            + " was dirty from " + iv[3 * j + 1] + " to " + iv[3 * j + 2]);
                }
            }
        }
        // the run must have exercised the paths it checks
        assertTrue(skipped > 0, "no write was skipped");
        assertTrue(verified > 0, "no VERIFY succeeded");
    }

    private static int indexOf(long region) {
        for (int k = 0; k < OWNED_REGIONS.length; k++) {
            if (OWNED_REGIONS[k] == region) {
                return k;
            }
        }
        throw new IllegalArgumentException("not an owned region: " + region);
    }

    /** The last interval whose assigning update started before {@code t}, or -1. */
    private static int intervalOf(long[] iv, long t) {
        int lo = 0;
        int hi = iv.length / 3 - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (iv[3 * mid] < t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
