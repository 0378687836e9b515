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
 * Runs a {@link ChurnWorkload} (or a classic {@link ChurnConfig}) on a {@link Hypervisor} in
 * simulated time: boots SNP, then lets VMs arrive, accept memory, do I/O and leave, while the
 * kernel's RMPOPT policy re-optimizes. Deterministic for a seed. Every second each running VM makes
 * its device-emulation writes (an SNP guest's into its bounce area) and its own guest writes;
 * SNP guests accept memory over their ramp and, if the workload says so, flip blocks between
 * private and shared; and the host writes its own memory.
 *
 * <p>All randomness comes from one stream seeded with the workload's seed, drawn in a fixed order
 * (see {@link Arrivals.Generated}); draws a knob does not need are not made, so the classic
 * workload draws exactly what it always drew.
 *
 * <p>The run keeps only what is its own (VMs launched, destroyed, refused). Writes, passes and
 * coverage are observed through the machine's and the kernel's listeners (telemetry), and the run
 * calls its sampler at the start, every {@link ChurnWorkload#sampleNanos()} and at the end.
 */
public final class ChurnSimulation {

    private static final long SECOND = EventScheduler.SECOND;
    private static final long LAUNCH_IMAGE_BYTES = 16L << 20;

    private final Hypervisor hypervisor;
    private final EventScheduler scheduler;
    private final ChurnWorkload workload;
    private final GuestBehaviour guests;
    private final SplittableRandom random;
    private final LongConsumer sampler;
    /** SNP guests still accepting memory: bytes accepted from GPA 0 up, and the target. */
    private final Map<Vm, long[]> accepting = new HashMap<>();
    /** Scripted VMs running, by their trace name. */
    private final Map<String, Vm> scripted = new HashMap<>();
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
        this(hypervisor, scheduler, Objects.requireNonNull(config, "config").toWorkload(), sampler);
    }

    /** A run of {@code workload}; otherwise as {@link #ChurnSimulation(Hypervisor, EventScheduler, ChurnConfig, LongConsumer)}. */
    public ChurnSimulation(Hypervisor hypervisor, EventScheduler scheduler, ChurnWorkload workload, LongConsumer sampler) {
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.guests = workload.guests();
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.random = new SplittableRandom(workload.seed());
    }

    /** Boots SNP (if not yet), runs the workload to its end, destroys nothing left over, and reports. */
    public ChurnReport run() {
        if (!hypervisor.kernel().isSetUp()) {
            hypervisor.bootSnp();
        }
        scheduler.runUntil(scheduler.now()); // what is due now, such as a v8+ boot pass queued with no delay
        long end = scheduler.now() + workload.durationNanos();
        sample();
        if (workload.arrivals() instanceof Arrivals.Generated generated) {
            scheduler.schedule(generated.interarrivalNanos().sample(random), () -> arrive(generated));
        } else if (workload.arrivals() instanceof Arrivals.Scripted script) {
            for (VmEvent event : script.events()) {
                if (event.timeNanos() <= workload.durationNanos()) {
                    scheduler.schedule(event.timeNanos(), () -> play(event));
                }
            }
        }
        scheduler.schedule(SECOND, this::tick);
        scheduler.schedule(workload.sampleNanos(), this::sampleAndReschedule);
        scheduler.runUntil(end);
        sample();
        return new ChurnReport(hypervisor.kernel().policy().name(), hypervisor.frames().placement().name(),
                launched, destroyed, refused);
    }

    private void arrive(Arrivals.Generated generated) {
        long gib = generated.vmGib().sample(random);
        boolean snp = random.nextDouble() < generated.snpFraction();
        Vm vm = launch(gib * Geometry.GIB, (int) Math.max(1, gib / 4), snp);
        if (vm != null) {
            scheduler.schedule(generated.lifetimeNanos().sample(random), () -> leave(vm));
        }
        scheduler.schedule(generated.interarrivalNanos().sample(random), () -> arrive(generated));
    }

    private void play(VmEvent event) {
        if (event instanceof VmEvent.Launch launch) {
            if (!scripted.containsKey(launch.vm())) {
                Vm vm = launch(launch.memoryBytes(), launch.vcpus(), launch.snp());
                if (vm != null) {
                    scripted.put(launch.vm(), vm);
                }
            }
        } else if (event instanceof VmEvent.Destroy destroy) {
            Vm vm = scripted.remove(destroy.vm());
            if (vm != null) {
                leave(vm);
            }
        } else if (event instanceof VmEvent.ConvertToShared convert) {
            Vm vm = scripted.get(convert.vm());
            if (vm != null && vm.spec().snp()) {
                long memory = vm.spec().memoryBytes();
                long top = memory - bounceOf(memory);
                long bytes = Math.min(Geometry.alignUp(convert.bytes(), LazyAcceptance.CHUNK_BYTES), top);
                if (bytes > 0) {
                    hypervisor.acceptMemory(vm, top - bytes, bytes);
                    hypervisor.convertToShared(vm, top - bytes, bytes);
                }
            }
        }
    }

    /** Launches a VM and sets up its bounce area and acceptance; null when the host refused it. */
    private Vm launch(long bytes, int vcpus, boolean snp) {
        VmSpec spec = snp ? new VmSpec(true, bytes, vcpus, guests.snpBacking(), Math.min(LAUNCH_IMAGE_BYTES, bytes))
                : VmSpec.legacy(bytes, vcpus, guests.legacyBacking());
        Vm vm;
        try {
            vm = hypervisor.launch(spec);
        } catch (IllegalStateException full) {
            refused++;
            return null;
        }
        launched++;
        if (snp) {
            long bounce = bounceOf(bytes);
            if (bounce > 0) {
                long at = bytes - bounce;
                hypervisor.acceptMemory(vm, at, bounce);
                hypervisor.convertToShared(vm, at, bounce);
            }
            long target = Geometry.alignDown((long) (guests.acceptFraction() * (bytes - bounce)), LazyAcceptance.CHUNK_BYTES);
            if (target > 0) {
                accepting.put(vm, new long[] {0, target});
            }
        }
        return vm;
    }

    /** The bounce area of an SNP guest of {@code bytes}: the workload's, at most half the guest. */
    private long bounceOf(long bytes) {
        return Math.min(guests.sharedBounceBytes(), Geometry.alignDown(bytes / 2, LazyAcceptance.CHUNK_BYTES));
    }

    private void leave(Vm vm) {
        accepting.remove(vm);
        hypervisor.destroy(vm);
        if (vm.isDestroyed()) {
            destroyed++; // a failed DECOMMISSION leaks the VM instead (Hypervisor.leakedVms(), model §7.4)
        }
    }

    private void tick() {
        for (Vm vm : List.copyOf(hypervisor.runningVms())) {
            long[] progress = accepting.get(vm);
            if (progress != null) {
                long step = Geometry.alignUp(Math.max(1, progress[1] * SECOND / guests.acceptRampNanos()), LazyAcceptance.CHUNK_BYTES);
                long upTo = Math.min(progress[1], progress[0] + step);
                hypervisor.acceptMemory(vm, progress[0], upTo - progress[0]);
                progress[0] = upTo;
                if (upTo == progress[1]) {
                    accepting.remove(vm);
                }
            }
            if (vm.spec().snp() && guests.conversionsPerVmPerHour() > 0) {
                convert(vm);
            }
            writes(vm);
        }
        hostWrites();
        scheduler.schedule(SECOND, this::tick);
    }

    /** A conversion with probability conversionsPerVmPerHour / 3600: a random block below the bounce area flips. */
    private void convert(Vm vm) {
        if (random.nextDouble() >= guests.conversionsPerVmPerHour() / 3600) {
            return;
        }
        long memory = vm.spec().memoryBytes();
        long block = guests.conversionBytes();
        long blocks = (memory - bounceOf(memory)) / block;
        if (blocks < 1) {
            return;
        }
        long gpa = random.nextLong(blocks) * block;
        if (vm.isPrivate(gpa)) {
            hypervisor.convertToShared(vm, gpa, block);
        } else {
            hypervisor.convertToPrivate(vm, gpa, block);
        }
    }

    private void writes(Vm vm) {
        int device = guests.deviceWritesPerSecond();
        int guest = vm.spec().snp() ? guests.snpGuestWritesPerSecond() : guests.legacyGuestWritesPerSecond();
        long memory = vm.spec().memoryBytes();
        for (int w = 0; w < Math.max(device, guest); w++) {
            int vcpu = random.nextInt(vm.spec().vcpus());
            if (vm.spec().snp()) {
                if (w < device) {
                    long bounce = Math.max(bounceOf(memory), Geometry.PAGE_4K);
                    long gpa = memory - bounce + random.nextLong(bounce / Geometry.PAGE_4K) * Geometry.PAGE_4K;
                    if (!vm.isPrivate(gpa)) {
                        hypervisor.deviceWrite(vm, vcpu, gpa);
                    }
                }
                if (w < guest) {
                    long privateGpa = random.nextLong(memory / Geometry.PAGE_4K) * Geometry.PAGE_4K;
                    if (vm.isPrivate(privateGpa)) {
                        hypervisor.guestWrite(vm, vcpu, privateGpa);
                    }
                }
            } else {
                long gpa = random.nextLong(memory / Geometry.PAGE_4K) * Geometry.PAGE_4K;
                if (w < device) {
                    hypervisor.deviceWrite(vm, vcpu, gpa);
                }
                if (w < guest) {
                    hypervisor.guestWrite(vm, vcpu, gpa);
                }
            }
        }
    }

    private void hostWrites() {
        FrameView frames = hypervisor.frames().view();
        int cpus = hypervisor.machine().host().topology().cpuCount();
        for (int w = 0; w < workload.hostWritesPerSecond(); w++) {
            int cpu = random.nextInt(cpus);
            int start = random.nextInt(frames.frameCount());
            int frame = frames.nextFree2M(start);
            if (frame < 0) {
                frame = frames.nextFree2M(0);
            }
            long page = random.nextLong(Geometry.PAGES_PER_2M);
            if (frame >= 0) {
                hypervisor.hostOwnWrite(cpu, frame * Geometry.PAGE_2M + page * Geometry.PAGE_4K);
            }
        }
    }

    private void sampleAndReschedule() {
        sample();
        scheduler.schedule(workload.sampleNanos(), this::sampleAndReschedule);
    }

    private void sample() {
        sampler.accept(scheduler.now());
    }
}
