package dev.rmpopt.kernel;

import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.SnpMachine;
import java.util.BitSet;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * The kernel's RMPOPT side (model §7): {@code snp_setup_rmpopt} after SNP_INIT, and one delayed work
 * item on an ordered workqueue, on a simulated clock, so passes never overlap. A pass runs its
 * instructions at its start time and is "in progress" for its modelled duration; a pass that comes
 * due meanwhile starts when the running one ends, as a re-queued work item would.
 *
 * <p>Triggers: {@link #boot()} after SNP_INIT (the boot pass at once, or from v8 as delayed work
 * with no delay, which a destroy before it runs pushes out); {@link #requestManualPass()} with
 * configfs semantics; and whatever the {@link RmpoptPolicy} asks for when an SNP VM is destroyed,
 * applied by {@link #queue}. Every pass has the policy's {@link PassShape} and runs on the CPU the
 * work item runs on, its issuer (the leader from v3): CPU 0 unless the caller chooses [M: an unbound
 * worker runs wherever the scheduler puts it; the sources do not say where]. This object owns "a pass is in progress"; configfs reads it here. It keeps no
 * history: every pass goes to the {@link KernelListener}, and telemetry keeps them.
 *
 * <p>Lifecycle (v5-v10, model §7.5): {@link #onSnpShutdown()} after the firmware's shutdown runs
 * {@code rmpopt_cleanup} only when SnpEn was cleared; after the legacy shutdown the setup stays, and
 * the next {@link #boot()} is skipped by the setup guard. CPU hotplug is refused from setup until the
 * cleanup, and after {@link #bootedByKexec()} on a machine that still has SnpEn set.
 *
 * <p>Thread-safe: every method holds this object's lock, so configfs may be written from another
 * thread than the one running the {@link EventScheduler}; the scheduler itself is not thread-safe and
 * is run by one thread.
 */
public final class KernelRmpopt {

    private final RmpoptDriver driver;
    private final EventScheduler scheduler;
    private final RmpoptPolicy policy;
    private final KernelListener listener;
    private final SnpMachine machine;
    private final IntUnaryOperator issuerOfPass;
    /** The setup in force (the workqueue exists), or null before setup and after the cleanup. */
    private SetupResult setup;
    private long passesStarted;
    private final int cpus;
    private final BitSet online = new BitSet();
    /** Why hotplug is disabled, or null while it is allowed. */
    private String hotplugDisabled;
    private EventScheduler.Event queued;
    private PassTrigger queuedTrigger;
    /** The reviewers' bitmap: regions a targeted pass will cover. */
    private final BitSet targetRegions = new BitSet();
    private long busyUntil = -1;

    /**
     * The kernel side of RMPOPT for {@code machine}, not yet set up.
     *
     * @param clears    a tracker listening to {@code machine}'s events since its creation, to account
     *                  regions won and lost by each pass
     * @param scheduler the simulated clock passes are timed and queued on
     * @param policy    when to re-optimize after boot
     * @param costs     what instructions and IPI rounds cost
     * @param listener  told of the setup and of every pass
     */
    public KernelRmpopt(SnpMachine machine, RegionClearTracker clears, EventScheduler scheduler, RmpoptPolicy policy,
                        RmpoptCostModel costs, KernelListener listener) {
        this(machine, clears, scheduler, policy, costs, listener, pass -> 0);
    }

    /**
     * As above, with the CPU each pass's work item runs on chosen by the caller.
     *
     * @param issuerOfPass the CPU that runs the work of pass {@code n} (0 for the first), for example
     *                     a secondary thread to see its sibling left out of the followers
     */
    public KernelRmpopt(SnpMachine machine, RegionClearTracker clears, EventScheduler scheduler, RmpoptPolicy policy,
                        RmpoptCostModel costs, KernelListener listener, IntUnaryOperator issuerOfPass) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.issuerOfPass = Objects.requireNonNull(issuerOfPass, "issuerOfPass");
        this.machine = machine;
        this.driver = new RmpoptDriver(machine, clears, costs, scheduler::now, listener);
        this.cpus = machine.host().topology().cpuCount();
        this.online.set(0, cpus);
    }

    /**
     * {@code snp_setup_rmpopt} after SNP_INIT_EX: programs RMPOPT_BASE on the primary thread of every
     * core, tells the listener, and runs the boot pass now or, when the policy delays it, queues it
     * with no delay (it runs when the clock next runs what is due). Its guard (v5-v10, model §7.5):
     * while the workqueue of an earlier setup still exists, as after a legacy shutdown, it returns at
     * once, programming nothing and queuing no pass; the next pass is a later destroy's. Fails with
     * {@link IllegalStateException}, changing nothing, when SNP is not initialized, the segmented RMP
     * is off, or a present CPU is offline.
     *
     * @return the setup, with its boot pass when it ran at once; under the guard, the setup still in
     *         force, {@link SetupResult#skippedByGuard()}
     */
    public synchronized SetupResult boot() {
        if (setup != null) {
            return setup.skipped();
        }
        if (online.cardinality() != cpus) {
            throw new IllegalStateException("SNP needs every present CPU online (online " + online.cardinality() + " of " + cpus
                    + "): hotplug is disabled while SNP is active");
        }
        setup = driver.setup(online);
        hotplugDisabled = "CPU hotplug is disabled while SNP is active";
        listener.onSetup(setup);
        if (policy.delaysBootPass()) {
            queue(PassRequest.full(PassTrigger.BOOT, 0, false));
            return setup;
        }
        PassRecord boot = driver.fullPass(PassTrigger.BOOT, policy.shape(), nextIssuer());
        started(boot);
        return setup.withBootPass(boot);
    }

    /**
     * {@code snp_shutdown()} after the firmware's shutdown returned SUCCESS (model §7.5): when the
     * firmware cleared SnpEn (X86_SNP_SHUTDOWN; the kernel reads SYSCFG), {@code rmpopt_cleanup}
     * cancels the pending work, writes RMPOPT_BASE = 0 on the CPU set and destroys the workqueue, so
     * the next {@link #boot()} sets up again, and hotplug is enabled again. After the legacy
     * SNP_SHUTDOWN_EX SnpEn is still set and nothing happens: the workqueue, its pending work, the
     * MSRs and the disabled hotplug all stay. {@link IllegalStateException}, changing nothing, while
     * SNP is still initialized.
     *
     * @return whether the cleanup ran
     */
    public synchronized boolean onSnpShutdown() {
        if (machine.isSnpInitialized()) {
            throw new IllegalStateException("SNP is still initialized: the firmware's shutdown comes first");
        }
        if (machine.snpEnabled(0)) {
            return false; // if (syscfg & SNP_EN) return;
        }
        if (setup != null) {
            if (queued != null) {
                queued.cancel(); // a pass still queued would raise #UD on cores without SnpEn
                queued = null;
            }
            targetRegions.clear();
            driver.cleanup();
            setup = null;
        }
        hotplugDisabled = null; // cpu_hotplug_enable() after the full shutdown
        return true;
    }

    /** Whether {@link #boot()} has run. */
    public synchronized boolean isSetUp() {
        return driver.isSetUp();
    }

    /** The range every pass covers; {@link IllegalStateException} before {@link #boot()}. */
    public synchronized PhysRange passRange() {
        return driver.passRange();
    }

    /** The CPUs the kernel runs RMPOPT on: the primary thread of every core. */
    public int[] cpuSet() {
        return driver.cpuSet();
    }

    /** The policy in force. */
    public RmpoptPolicy policy() {
        return policy;
    }

    /** Whether a pass is running at the current simulated time. */
    public synchronized boolean isPassInProgress() {
        return scheduler.now() < busyUntil;
    }

    /**
     * configfs {@code echo 1 > action} (v1): starts a full pass now unless one is in progress, in
     * which case the request is ignored. {@link IllegalStateException} before setup.
     *
     * @return whether a pass started
     */
    public synchronized boolean requestManualPass() {
        if (!driver.isSetUp()) {
            throw new IllegalStateException("RMPOPT is not set up");
        }
        if (isPassInProgress()) {
            return false;
        }
        started(driver.fullPass(PassTrigger.MANUAL, policy.shape(), nextIssuer()));
        return true;
    }

    /** Asks the policy what an SNP VM destroy that freed {@code freedRegions} calls for, and queues it. */
    public synchronized void onSnpVmDestroyed(BitSet freedRegions) {
        onSnpVmDestroyed(freedRegions, true);
    }

    /**
     * An SNP VM destroy whose SNP_DECOMMISSION succeeded or not: from v5 the kernel queues no pass when
     * it failed (the guest's pages stay assigned) [M: v3-v4 queued one regardless; the model follows
     * v5-v10 for every version with a destroy trigger].
     */
    public synchronized void onSnpVmDestroyed(BitSet freedRegions, boolean decommissioned) {
        Objects.requireNonNull(freedRegions, "freedRegions");
        if (driver.isSetUp() && decommissioned) {
            policy.onSnpVmDestroyed(freedRegions).ifPresent(this::queue);
        }
    }

    /**
     * Queues the pass {@code request} asks for on the work item. With
     * {@link PassRequest#restartDelay()} a pending one is pushed back ({@code mod_delayed_work});
     * without, a pending one stays and this adds nothing ({@code queue_delayed_work}). A targeted
     * request adds its regions to the bitmap first, whatever happens to the delay.
     */
    public synchronized void queue(PassRequest request) {
        Objects.requireNonNull(request, "request");
        request.regions().ifPresent(targetRegions::or);
        boolean pending = queued != null && queued.isPending();
        if (pending) {
            if (!request.restartDelay()) {
                return;
            }
            queued.cancel();
        }
        // a full pass already pending covers a targeted request's regions: it stays a full pass
        boolean keepFull = pending && queuedTrigger != PassTrigger.TARGETED && request.trigger() == PassTrigger.TARGETED;
        queuedTrigger = keepFull ? queuedTrigger : request.trigger();
        queued = scheduler.schedule(request.delayNanos(), this::runQueuedPass);
    }

    /**
     * Takes {@code cpu} offline or brings it online. From v8 hotplug is disabled while SNP is active
     * (from setup on, as {@code snp_prepare()} disables it before SnpEn is set, until the full
     * shutdown's {@link #onSnpShutdown}), and after a kexec into a kernel that finds SnpEn set
     * ({@link #bootedByKexec}): then nothing changes and the caller gets {@link HotplugResult.Refused}
     * [M: applied to every version; before v8 a pass only held hotplug off while it ran].
     *
     * @throws IllegalArgumentException if {@code cpu} is not one of the host's, changing nothing
     */
    public synchronized HotplugResult setCpuOnline(int cpu, boolean up) {
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException("CPU " + cpu + " is not one of the host's " + cpus);
        }
        if (hotplugDisabled != null) {
            return new HotplugResult.Refused(cpu, hotplugDisabled);
        }
        online.set(cpu, up);
        return new HotplugResult.Done(cpu, up);
    }

    /** Whether {@code cpu} is online. */
    public synchronized boolean isCpuOnline(int cpu) {
        return online.get(cpu);
    }

    /**
     * This kernel was started by kexec on {@code machine} as an earlier kernel left it:
     * {@code snp_rmptable_init()} reads SnpEn and, if it is still set (the earlier kernel shut SNP down
     * the legacy way, or not at all), disables hotplug at once, before any setup (model §7.5).
     *
     * @return whether SnpEn was set, so hotplug is now disabled
     */
    public synchronized boolean bootedByKexec() {
        if (!machine.snpEnabled(0)) {
            return false;
        }
        hotplugDisabled = "CPU hotplug is disabled: booted by kexec with SnpEn set";
        return true;
    }

    private synchronized void runQueuedPass() {
        if (isPassInProgress()) {
            queued = scheduler.schedule(busyUntil - scheduler.now(), this::runQueuedPass);
            return;
        }
        if (queuedTrigger == PassTrigger.TARGETED) {
            BitSet regions = (BitSet) targetRegions.clone();
            targetRegions.clear();
            started(driver.targetedPass(regions, policy.shape(), nextIssuer()));
        } else {
            targetRegions.clear();
            started(driver.fullPass(queuedTrigger, policy.shape(), nextIssuer()));
        }
    }

    private int nextIssuer() {
        return issuerOfPass.applyAsInt(Math.toIntExact(passesStarted++));
    }

    private void started(PassRecord pass) {
        busyUntil = scheduler.now() + pass.modeledNanos();
    }
}
