package dev.rmpopt.kernel;

import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.SnpMachine;
import java.util.BitSet;
import java.util.Objects;

/**
 * The kernel's RMPOPT side (SPEC 7): {@code snp_setup_rmpopt} after SNP_INIT, and one delayed work
 * item on an ordered workqueue, on a simulated clock, so passes never overlap. A pass runs its
 * instructions at its start time and is "in progress" for its modelled duration; a pass that comes
 * due meanwhile starts when the running one ends, as a re-queued work item would.
 *
 * <p>Triggers: {@link #boot()} after SNP_INIT; {@link #requestManualPass()} with configfs
 * semantics; and whatever the {@link RmpoptPolicy} asks for when an SNP VM is destroyed, applied
 * by {@link #queue}. This object owns "a pass is in progress"; configfs reads it here. It keeps no
 * history: every pass goes to the {@link KernelListener}, and telemetry keeps them.
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
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.driver = new RmpoptDriver(machine, clears, costs, scheduler::now, listener);
    }

    /**
     * {@code snp_setup_rmpopt} after SNP_INIT_EX: programs RMPOPT_BASE on the primary thread of every
     * core and runs the boot pass now. Fails with {@link IllegalStateException}, changing nothing,
     * when SNP is not initialized, the segmented RMP is off, or setup already ran.
     */
    public synchronized SetupResult boot() {
        SetupResult setup = driver.setup();
        started(setup.firstPass());
        listener.onSetup(setup);
        return setup;
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
        started(driver.fullPass(PassTrigger.MANUAL));
        return true;
    }

    /** Asks the policy what an SNP VM destroy that freed {@code freedRegions} calls for, and queues it. */
    public synchronized void onSnpVmDestroyed(BitSet freedRegions) {
        Objects.requireNonNull(freedRegions, "freedRegions");
        if (driver.isSetUp()) {
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
        if (queued != null && queued.isPending()) {
            if (!request.restartDelay()) {
                return;
            }
            queued.cancel();
        }
        queuedTrigger = request.trigger();
        queued = scheduler.schedule(request.delayNanos(), this::runQueuedPass);
    }

    private synchronized void runQueuedPass() {
        if (isPassInProgress()) {
            queued = scheduler.schedule(busyUntil - scheduler.now(), this::runQueuedPass);
            return;
        }
        if (queuedTrigger == PassTrigger.TARGETED) {
            BitSet regions = (BitSet) targetRegions.clone();
            targetRegions.clear();
            started(driver.targetedPass(regions));
        } else {
            started(driver.fullPass(queuedTrigger));
        }
    }

    private void started(PassRecord pass) {
        busyUntil = scheduler.now() + pass.modeledNanos();
    }
}
