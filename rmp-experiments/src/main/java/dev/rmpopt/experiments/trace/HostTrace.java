package dev.rmpopt.experiments.trace;

import dev.rmpopt.kvm.VmEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * What one host sees of a fleet trace under {@link TraceRules}: the VMs first-fit places on it,
 * as launch, conversion and destroy events in simulated time.
 *
 * @param events     the host's events, in time order
 * @param fleetHosts how many hosts the window's VMs fill first-fit
 * @param inWindow   VMs alive in the window
 * @param onHost     VMs placed on the modelled host
 * @param snpOnHost  of those, SNP guests
 * @param tooLarge   VMs dropped as larger than an empty host
 */
public record HostTrace(List<VmEvent> events, int fleetHosts, int inWindow, int onHost, int snpOnHost, int tooLarge) {

    private static final long CHUNK = 4L << 20;
    private static final long NANOS = 1_000_000_000L;

    /** Copies. */
    public HostTrace {
        events = List.copyOf(events);
    }

    /**
     * Applies {@code rules} to {@code vms} for a host of {@code hostBytes} RAM and {@code hostCpus}
     * CPUs. Guest memory is rounded up to whole 4 MiB (and to {@code legacyPageBytes} for a legacy
     * guest, whose backing page it is).
     */
    public static HostTrace of(List<TraceVm> vms, TraceRules rules, long hostBytes, int hostCpus, long legacyPageBytes) {
        long start = rules.startSeconds();
        long end = rules.endSeconds().orElse(Long.MAX_VALUE);
        List<TraceVm> window = new ArrayList<>();
        for (TraceVm vm : vms) {
            if (vm.createdSeconds() < end && (vm.deletedSeconds().isEmpty() || vm.deletedSeconds().getAsLong() > start)) {
                window.add(vm);
            }
        }
        window.sort(Comparator.comparingLong((TraceVm v) -> Math.max(start, v.createdSeconds())).thenComparingLong(TraceVm::line));
        long capacity = (long) (rules.fill() * hostBytes);
        List<long[]> hosts = new ArrayList<>(); // free bytes, free vCPUs
        record Leaving(long at, int host, long bytes, int cores) {
        }
        PriorityQueue<Leaving> leaving = new PriorityQueue<>(Comparator.comparingLong(Leaving::at));
        List<VmEvent> events = new ArrayList<>();
        int tooLarge = 0;
        int onHost = 0;
        int snpOnHost = 0;
        for (TraceVm vm : window) {
            long at = Math.max(start, vm.createdSeconds());
            while (!leaving.isEmpty() && leaving.peek().at() <= at) {
                Leaving l = leaving.poll();
                hosts.get(l.host())[0] += l.bytes();
                hosts.get(l.host())[1] += l.cores();
            }
            boolean snp = isSnp(vm, rules);
            long bytes = roundUp(vm.memoryBytes(), snp ? CHUNK : Math.max(CHUNK, legacyPageBytes));
            if (bytes > capacity || vm.cores() > hostCpus) {
                tooLarge++;
                continue;
            }
            int h = 0;
            while (h < hosts.size() && (hosts.get(h)[0] < bytes || hosts.get(h)[1] < vm.cores())) {
                h++;
            }
            if (h == hosts.size()) {
                hosts.add(new long[] {capacity, hostCpus});
            }
            hosts.get(h)[0] -= bytes;
            hosts.get(h)[1] -= vm.cores();
            if (vm.deletedSeconds().isPresent()) {
                leaving.add(new Leaving(vm.deletedSeconds().getAsLong(), h, bytes, vm.cores()));
            }
            if (h != rules.host()) {
                continue;
            }
            onHost++;
            if (snp) {
                snpOnHost++;
            }
            events.add(new VmEvent.Launch(simulated(at - start, rules), vm.id(), bytes, vm.cores(), snp));
            for (TraceVm.Conversion c : vm.conversions()) {
                if (c.atSeconds() < end) {
                    events.add(new VmEvent.ConvertToShared(simulated(Math.max(0, c.atSeconds() - start), rules), vm.id(), c.bytes()));
                }
            }
            if (vm.deletedSeconds().isPresent() && vm.deletedSeconds().getAsLong() < end) {
                events.add(new VmEvent.Destroy(simulated(vm.deletedSeconds().getAsLong() - start, rules), vm.id()));
            }
        }
        events.sort(Comparator.comparingLong(VmEvent::timeNanos));
        return new HostTrace(events, hosts.size(), window.size(), onHost, snpOnHost, tooLarge);
    }

    /** The SNP rule of {@link TraceRules}. */
    static boolean isSnp(TraceVm vm, TraceRules rules) {
        if (vm.snp().isPresent()) {
            return vm.snp().get();
        }
        if (vm.category().filter(rules.snpCategories()::contains).isPresent()
                || vm.subscription().filter(rules.snpSubscriptions()::contains).isPresent()) {
            return true;
        }
        long mixed = rules.seed() * 0x9E3779B97F4A7C15L ^ vm.id().hashCode() * 0xC2B2AE3D27D4EB4FL ^ vm.id().length();
        return new SplittableRandom(mixed).nextDouble() < rules.snpShare();
    }

    private static long simulated(long traceSeconds, TraceRules rules) {
        double nanos = traceSeconds * rules.timeScale() * NANOS;
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    }

    private static long roundUp(long bytes, long unit) {
        return (bytes + unit - 1) / unit * unit;
    }
}
