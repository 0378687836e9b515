package dev.rmpopt.kvm;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * The kernel's RMPOPT work on a simulated clock (SPEC 7): one delayed work item on an ordered
 * workqueue, so passes never overlap. A pass runs its instructions at its start time and is "in
 * progress" for its modelled duration; a pass that comes due meanwhile starts when the running one
 * ends, as a re-queued work item would.
 *
 * <p>Triggers: {@link #boot()} after SNP_INIT; {@link #requestManualPass()} with configfs
 * semantics; and whatever the {@link RmpoptPolicy} asks for when an SNP VM is destroyed.
 */
public final class KernelRmpopt {

    private final RmpoptDriver driver;
    private final EventScheduler scheduler;
    private final RmpoptPolicy policy;
    private final List<PassRecord> passes = new ArrayList<>();
    private EventScheduler.Event queued;
    private PassTrigger queuedTrigger;
    private final BitSet targetRegions = new BitSet();
    private long busyUntil = -1;

    /** The kernel side of RMPOPT for {@code driver}, timed by {@code scheduler}, re-optimizing by {@code policy}. */
    public KernelRmpopt(RmpoptDriver driver, EventScheduler scheduler, RmpoptPolicy policy) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** {@code snp_setup_rmpopt} after SNP_INIT_EX: programs the MSRs and runs the boot pass now. */
    public SetupResult boot() {
        SetupResult setup = driver.setup();
        record(setup.firstPass());
        return setup;
    }

    /** The policy in force. */
    public RmpoptPolicy policy() {
        return policy;
    }

    /** The driver whose passes this runs. */
    public RmpoptDriver driver() {
        return driver;
    }

    /** Whether a pass is running at the current simulated time. */
    public boolean isPassInProgress() {
        return scheduler.now() < busyUntil;
    }

    /**
     * configfs {@code echo 1 > action} (v1): starts a full pass now unless one is in progress, in
     * which case the request is ignored.
     *
     * @return whether a pass started
     */
    public boolean requestManualPass() {
        if (!driver.isSetUp()) {
            throw new IllegalStateException("RMPOPT is not set up");
        }
        if (isPassInProgress()) {
            return false;
        }
        record(driver.fullPass(PassTrigger.MANUAL));
        return true;
    }

    /** Tells the policy that an SNP VM was destroyed and freed {@code freedRegions}. */
    public void onSnpVmDestroyed(BitSet freedRegions) {
        if (driver.isSetUp()) {
            policy.onSnpVmDestroyed(this, freedRegions);
        }
    }

    /**
     * Queues a full pass {@code delayNanos} from now. With {@code restartDelay} a pending one is
     * pushed back ({@code mod_delayed_work}); without, a pending one stays and this adds nothing
     * ({@code queue_delayed_work}).
     */
    public void queueFullPass(PassTrigger trigger, long delayNanos, boolean restartDelay) {
        if (queued != null && queued.isPending()) {
            if (!restartDelay) {
                return;
            }
            queued.cancel();
        }
        queuedTrigger = trigger;
        queued = scheduler.schedule(delayNanos, this::runQueuedPass);
    }

    /** Adds {@code regions} to the targeted bitmap and (re)starts the delay before a targeted pass. */
    public void queueTargetedPass(BitSet regions, long delayNanos) {
        targetRegions.or(regions);
        queueFullPass(PassTrigger.TARGETED, delayNanos, true);
    }

    /** Every pass so far, boot first. */
    public List<PassRecord> passes() {
        return List.copyOf(passes);
    }

    private void runQueuedPass() {
        if (isPassInProgress()) {
            queued = scheduler.schedule(busyUntil - scheduler.now(), this::runQueuedPass);
            return;
        }
        if (queuedTrigger == PassTrigger.TARGETED) {
            BitSet regions = (BitSet) targetRegions.clone();
            targetRegions.clear();
            record(driver.targetedPass(regions));
        } else {
            record(driver.fullPass(queuedTrigger));
        }
    }

    private void record(PassRecord pass) {
        passes.add(pass);
        busyUntil = scheduler.now() + pass.modeledNanos();
    }
}
