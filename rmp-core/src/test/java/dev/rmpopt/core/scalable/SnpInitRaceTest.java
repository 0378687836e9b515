package dev.rmpopt.core.scalable;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.TIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.SnpMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * SNP_INIT racing a core's writes to a region whose bit it set before SNP_INIT (RMPOPT_BASE can be
 * programmed as soon as SnpEn is on, here from power-on). In the reference, SNP_INIT is one step: a
 * core's writes go SKIPPED, then CHECKED. A backend that cleared the tables before checks were on
 * would let a write see UNCHECKED after a SKIPPED, which no order of the reference's steps gives. A
 * 4 TiB host makes SNP_INIT's clearing long enough for the race to show.
 */
class SnpInitRaceTest {

    static final HostDescription HOST = HostDescription.standard(new CpuTopology(1, 4, 1), 4 * TIB);
    static final long REGION = 1500 * GIB;

    @Test
    void aCoresWritesNeverGoFromSkippedToUnchecked() throws InterruptedException {
        for (int trial = 0; trial < 40; trial++) {
            // SnpEn set at power-on (model §4.2), so RMPOPT_BASE can be programmed before SNP_INIT
            SnpMachine machine = new ScalableBackendProvider().create(HOST, ModelOptions.DEFAULTS.withSnpEnabledAtPowerOn(true),
                    RmpEventListener.NONE);
            machine.wrmsrRmpoptBase(0, RmpoptBase.ENABLE);
            assertTrue(machine.rmpopt(0, REGION, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry());
            List<AccessOutcome> seen = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                started.countDown();
                AccessOutcome last;
                do {
                    last = machine.write(0, Accessor.HYPERVISOR, REGION + 4096, MappingSize.SIZE_4K);
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(last)) {
                        seen.add(last);
                    }
                } while (!(last instanceof AccessOutcome.Checked) && seen.size() < 5);
            });
            writer.start();
            started.await();
            assertEquals(FirmwareStatus.SUCCESS, machine.snpInit());
            writer.join();
            assertEquals(AccessOutcome.CHECKED, seen.get(seen.size() - 1), "trial " + trial + ": " + seen);
            assertTrue(seen.stream().noneMatch(o -> o instanceof AccessOutcome.Unchecked), "trial " + trial + ": " + seen);
        }
    }
}
