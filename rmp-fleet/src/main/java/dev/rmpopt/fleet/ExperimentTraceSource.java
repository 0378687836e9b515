package dev.rmpopt.fleet;

import dev.rmpopt.experiments.trace.TraceException;
import dev.rmpopt.experiments.trace.TraceFormat;
import dev.rmpopt.experiments.trace.TraceReader;
import dev.rmpopt.experiments.trace.TraceVm;
import dev.rmpopt.kernel.EventScheduler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A trace in one of rmp-experiments' {@link TraceFormat}s (Azure V1 and V2, Huawei, the project's
 * event file), read by its {@link TraceReader}, as the fleet's VMs. The whole trace is the fleet's
 * workload (no host is picked: the fleet's scheduler places every VM).
 *
 * <ul>
 *   <li><b>SNP guests:</b> as the trace says (the event file), else by the same seeded draw per VM
 *   id as rmp-experiments' {@code TraceRules}: the same VM is SNP in every run of a seed.</li>
 *   <li><b>Window and time:</b> trace time {@code startSeconds} is simulated time 0; a VM alive at
 *   the start arrives at 0; a trace second is {@code timeScale} simulated seconds.</li>
 *   <li><b>Sizes:</b> memory rounded up to whole 4 MiB; vCPUs are the trace's cores. Conversions of
 *   the event file are not replayed (the fleet's guests convert as {@code guests} says).</li>
 * </ul>
 */
final class ExperimentTraceSource implements TraceSource {

    private static final long CHUNK = FleetVm.MEMORY_GRANULE;

    private final TraceFormat format;

    ExperimentTraceSource(TraceFormat format) {
        this.format = format;
    }

    @Override
    public String format() {
        return format.fileName();
    }

    @Override
    public List<FleetVm> read(FleetWorkload.Trace trace, long durationNanos, long seed) throws FleetFileException {
        List<TraceVm> rows;
        try {
            rows = TraceReader.read(trace.file(), format);
        } catch (TraceException e) {
            throw new FleetFileException(e.getMessage(), e);
        } catch (IOException e) {
            throw new FleetFileException(trace.file() + ": cannot read the trace: " + e, e);
        }
        long startSeconds = trace.startNanos() / EventScheduler.SECOND;
        List<FleetVm> vms = new ArrayList<>();
        for (TraceVm vm : rows) {
            if (vm.deletedSeconds().isPresent() && vm.deletedSeconds().getAsLong() <= startSeconds) {
                continue;
            }
            long arrival = simulated(Math.max(0, vm.createdSeconds() - startSeconds), trace.timeScale());
            if (arrival >= durationNanos) {
                continue;
            }
            long departure = vm.deletedSeconds().isPresent()
                    ? Math.max(arrival + 1, simulated(vm.deletedSeconds().getAsLong() - startSeconds, trace.timeScale()))
                    : Long.MAX_VALUE;
            long memory = (vm.memoryBytes() + CHUNK - 1) / CHUNK * CHUNK;
            vms.add(new FleetVm(vm.id(), arrival, departure, memory, vm.cores(), isSnp(vm, trace.snpFraction(), seed)));
        }
        vms.sort(Comparator.comparingLong(FleetVm::arrivalNanos));
        return List.copyOf(vms);
    }

    /** rmp-experiments' {@code TraceRules} SNP draw: a stream seeded from the seed and the VM's id alone. */
    static boolean isSnp(TraceVm vm, double share, long seed) {
        if (vm.snp().isPresent()) {
            return vm.snp().get();
        }
        long mixed = seed * 0x9E3779B97F4A7C15L ^ vm.id().hashCode() * 0xC2B2AE3D27D4EB4FL ^ vm.id().length();
        return new SplittableRandom(mixed).nextDouble() < share;
    }

    private static long simulated(long traceSeconds, double timeScale) {
        double nanos = traceSeconds * timeScale * EventScheduler.SECOND;
        return nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) nanos;
    }
}
