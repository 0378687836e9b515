package dev.rmpopt.telemetry;

import static dev.rmpopt.api.Geometry.GIB;

import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.PassRequest;
import dev.rmpopt.kernel.PassTrigger;
import dev.rmpopt.kernel.files.ConfigfsRmpopt;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Writes a sample report of a scripted 30 s of VM churn on a 64 GiB reference host (2 x 8 cores x
 * 2 threads), for {@code scripts/render-report.sh} and the README's screenshot. Not a test: run it
 * with {@code java -cp ... dev.rmpopt.telemetry.SampleReport DIR}.
 *
 * <p>Scenario (simulated time): boot pass at 0 s; guests A (ASID 1, 8 GiB of 2 MiB pages in
 * regions 8-15) and B (ASID 2, 4 GiB in regions 40-43) start at 2 s and 4 s; guest C (ASID 3)
 * holds one 4 KiB page in each of regions 20-27, the worst case, from 6 s; A stops at 10 s and the
 * v8 policy runs a pass 10 s after the last destroy (20 s); someone writes {@code 1} to configfs
 * {@code action} at 23 s; B stops at 25 s and a targeted pass covers its regions at 26 s. The
 * hypervisor writes to random pages outside A's and B's memory all along; those that hit C's pages
 * or the firmware's fault.
 */
public final class SampleReport {

    private static final long SECOND = 1_000_000_000L;

    private final HostDescription host = HostDescription.standard(new CpuTopology(2, 8, 2), 64 * GIB);
    private final KernelHost kernelHost = new KernelHost(host);
    private final RmpTelemetry telemetry = kernelHost.telemetry;
    private final SnpMachine machine = kernelHost.machine;
    private final SplittableRandom random = new SplittableRandom(2026);
    /** Regions guests A and B hold in 2 MiB pages; the hypervisor does not write there. */
    private final BitSet guestRegions = new BitSet();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/sample-report");
        SampleReport sample = new SampleReport();
        ReportWriter.write(dir, sample.run());
        System.out.println("wrote " + dir.resolve(ReportWriter.HTML_FILE) + " and " + dir.resolve(ReportWriter.JSON_FILE));
    }

    TelemetrySnapshot run() {
        kernelHost.booted();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(kernelHost.kernel);
        long now = 0;
        for (int second = 0; second <= 30; second++) {
            now = second * SECOND;
            kernelHost.at(now);
            switch (second) {
                case 2 -> assign2m(1, 8, 16);
                case 4 -> assign2m(2, 40, 44);
                case 6 -> {
                    for (int r = 20; r < 28; r++) {
                        check(machine.rmpUpdate(r * GIB + 4096 * 7, RmpState.guestPrivate(3, (long) r << 21, PageSize.SIZE_4K, false)));
                    }
                }
                case 10 -> free2m(8, 16);
                case 20 -> kernelHost.passNow(PassRequest.full(PassTrigger.VM_DESTROY_DEBOUNCED, 0, true));
                case 23 -> configfs.writeAction("1\n");
                case 25 -> free2m(40, 44);
                case 26 -> {
                    BitSet freed = new BitSet();
                    freed.set(40, 44);
                    kernelHost.passNow(PassRequest.targeted(freed, 0));
                }
                default -> {
                }
            }
            hypervisorWrites(20_000);
            kernelHost.sampler.sample(now);
        }
        return telemetry.snapshot(now);
    }

    private void assign2m(int asid, int firstRegion, int endRegion) {
        guestRegions.set(firstRegion, endRegion);
        for (long spa = firstRegion * GIB; spa < endRegion * GIB; spa += Geometry.PAGE_2M) {
            check(machine.rmpUpdate(spa, RmpState.guestPrivate(asid, spa - firstRegion * GIB, PageSize.SIZE_2M, false)));
        }
    }

    private void free2m(int firstRegion, int endRegion) {
        guestRegions.clear(firstRegion, endRegion);
        for (long spa = firstRegion * GIB; spa < endRegion * GIB; spa += Geometry.PAGE_2M) {
            check(machine.rmpUpdate(spa, RmpState.shared(PageSize.SIZE_2M)));
        }
    }

    private void hypervisorWrites(int count) {
        int cpus = host.topology().cpuCount();
        for (int i = 0; i < count; i++) {
            long spa = Geometry.alignDown(random.nextLong(host.ramEnd()), Geometry.PAGE_4K);
            if (host.isRam(spa) && !guestRegions.get((int) Geometry.regionIndex(spa))) {
                machine.write(random.nextInt(cpus), Accessor.HYPERVISOR, spa, MappingSize.SIZE_4K);
            }
        }
    }

    private static void check(RmpReturnCode code) {
        if (code != RmpReturnCode.SUCCESS) {
            throw new IllegalStateException("RMPUPDATE failed: " + code);
        }
    }
}
