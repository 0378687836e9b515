package dev.rmpopt.kvm;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.kernel.EventScheduler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Runs a {@link ChurnConfig} workload on a {@link Hypervisor} in simulated time: boots SNP, then
 * lets VMs arrive, accept memory, do I/O and leave, while the kernel's RMPOPT policy re-optimizes.
 * Deterministic for a seed. Every second each running VM makes its device-emulation writes (into
 * its shared pages) and as many guest writes; SNP guests accept memory over their first minute.
 *
 * <p>The run keeps only what is its own (VMs launched, destroyed, refused). Writes, passes and
 * coverage are observed through the machine's and the kernel's listeners (telemetry), and the run
 * calls its sampler at the start, every {@link ChurnConfig#sampleNanos()} and at the end.
 */
public final class ChurnSimulation {

    private static final long SECOND = EventScheduler.SECOND;
    private static final long ACCEPT_RAMP_NANOS = 60 * SECOND;

    private final Hypervisor hypervisor;
    private final EventScheduler scheduler;
    private final ChurnConfig config;
    private final SplittableRandom random;
    private final LongConsumer sampler;
    /** SNP guests still accepting memory: bytes accepted from GPA 0 up, and the target. */
    private final Map<Vm, long[]> accepting = new HashMap<>();
    private int launched;
    private int destroyed;
    private int refused;

    /**
     * A run of {@code config} on {@code hypervisor}, timed by {@code scheduler} (the kernel's).
     *
     * @param sampler called with the simulated time whenever the run samples coverage, for example
     *                {@code CoverageSampler::sample} of telemetry
     */
    public ChurnSimulation(Hypervisor hypervisor, EventScheduler scheduler, ChurnConfig config, LongConsumer sampler) {
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.config = Objects.requireNonNull(config, "config");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.random = new SplittableRandom(config.seed());
    }

    /** Boots SNP (if not yet), runs the workload to its end, destroys nothing left over, and reports. */
    public ChurnReport run() {
        if (!hypervisor.kernel().isSetUp()) {
            hypervisor.bootSnp();
        }
        scheduler.runUntil(scheduler.now()); // what is due now, such as a v8+ boot pass queued with no delay
        long end = scheduler.now() + config.durationNanos();
        sample();
        scheduler.schedule(exponential(config.meanArrivalNanos()), this::arrive);
        scheduler.schedule(SECOND, this::tick);
        scheduler.schedule(config.sampleNanos(), this::sampleAndReschedule);
        scheduler.runUntil(end);
        sample();
        return new ChurnReport(hypervisor.kernel().policy().name(), hypervisor.frames().placement().name(),
                launched, destroyed, refused);
    }

    private void arrive() {
        int gib = config.minVmGib() + random.nextInt(config.maxVmGib() - config.minVmGib() + 1);
        boolean snp = random.nextDouble() < config.snpFraction();
        int vcpus = Math.max(1, gib / 4);
        long bytes = gib * Geometry.GIB;
        VmSpec spec = snp ? VmSpec.snp(bytes, vcpus) : VmSpec.legacy(bytes, vcpus, MappingSize.SIZE_2M);
        try {
            Vm vm = hypervisor.launch(spec);
            launched++;
            if (snp) {
                long bounce = config.sharedBounceBytes();
                if (bounce > 0) {
                    long at = bytes - bounce;
                    hypervisor.acceptMemory(vm, at, bounce);
                    hypervisor.convertToShared(vm, at, bounce);
                }
                long target = Geometry.alignDown((long) (config.acceptFraction() * (bytes - bounce)), LazyAcceptance.CHUNK_BYTES);
                if (target > 0) {
                    accepting.put(vm, new long[] {0, target});
                }
            }
            scheduler.schedule(exponential(config.meanLifetimeNanos()), () -> leave(vm));
        } catch (IllegalStateException full) {
            refused++;
        }
        scheduler.schedule(exponential(config.meanArrivalNanos()), this::arrive);
    }

    private void leave(Vm vm) {
        accepting.remove(vm);
        hypervisor.destroy(vm);
        destroyed++;
    }

    private void tick() {
        for (Vm vm : List.copyOf(hypervisor.runningVms())) {
            long[] progress = accepting.get(vm);
            if (progress != null) {
                long step = Geometry.alignUp(Math.max(1, progress[1] * SECOND / ACCEPT_RAMP_NANOS), LazyAcceptance.CHUNK_BYTES);
                long upTo = Math.min(progress[1], progress[0] + step);
                hypervisor.acceptMemory(vm, progress[0], upTo - progress[0]);
                progress[0] = upTo;
                if (upTo == progress[1]) {
                    accepting.remove(vm);
                }
            }
            for (int w = 0; w < config.writesPerVmPerSecond(); w++) {
                int vcpu = random.nextInt(vm.spec().vcpus());
                if (vm.spec().snp()) {
                    long bounce = Math.max(config.sharedBounceBytes(), Geometry.PAGE_4K);
                    long gpa = vm.spec().memoryBytes() - bounce + random.nextLong(bounce / Geometry.PAGE_4K) * Geometry.PAGE_4K;
                    if (!vm.isPrivate(gpa)) {
                        hypervisor.deviceWrite(vm, vcpu, gpa);
                    }
                    long privateGpa = random.nextLong(vm.spec().memoryBytes() / Geometry.PAGE_4K) * Geometry.PAGE_4K;
                    if (vm.isPrivate(privateGpa)) {
                        hypervisor.guestWrite(vm, vcpu, privateGpa);
                    }
                } else {
                    long gpa = random.nextLong(vm.spec().memoryBytes() / Geometry.PAGE_4K) * Geometry.PAGE_4K;
                    hypervisor.deviceWrite(vm, vcpu, gpa);
                    hypervisor.guestWrite(vm, vcpu, gpa);
                }
            }
        }
        scheduler.schedule(SECOND, this::tick);
    }

    private void sampleAndReschedule() {
        sample();
        scheduler.schedule(config.sampleNanos(), this::sampleAndReschedule);
    }

    private void sample() {
        sampler.accept(scheduler.now());
    }

    private long exponential(long mean) {
        return Math.max(1, (long) (-Math.log(1 - random.nextDouble()) * mean));
    }
}
