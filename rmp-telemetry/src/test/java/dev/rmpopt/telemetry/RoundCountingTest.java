package dev.rmpopt.telemetry;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpState;
import org.junit.jupiter.api.Test;

/**
 * Rounds counted whole ({@link RmpTelemetry#onRmpoptRound}, the scalable backend's one event per
 * IPI round) give the same figures, per region and per core, as the same rounds counted one
 * instruction at a time (the reference backend, whose rounds are the SPI's default loop).
 */
class RoundCountingTest {

    static final HostDescription HOST = HostDescription.standard(new CpuTopology(2, 40, 2), 12 * GIB);

    @Test
    void roundsCountedWholeAgreeWithSingleInstructions() {
        TelemetrySnapshot single = run("reference");
        TelemetrySnapshot rounds = run("scalable");
        for (RmpoptOutcome o : RmpoptOutcome.values()) {
            CounterSeries a = single.rmpopt().get(o);
            CounterSeries b = rounds.rmpopt().get(o);
            assertEquals(a.total(), b.total(), o.toString());
            assertArrayEquals(a.byRegion(), b.byRegion(), o + " by region");
            assertArrayEquals(a.byCore(), b.byCore(), o + " by core");
            assertEquals(a.beyondRam(), b.beyondRam(), o + " beyond RAM");
        }
        assertEquals(single.passes(), rounds.passes());
        // the passes did run rounds, and some VERIFYs failed
        CounterSeries won = rounds.rmpopt().get(RmpoptOutcome.VERIFY_WON);
        CounterSeries failed = rounds.rmpopt().get(RmpoptOutcome.VERIFY_FAILED);
        assertEquals(won.total(), won.coreSum());
        assertEquals(true, won.total() > 4 * 80 && failed.total() > 0, "won " + won.total() + ", failed " + failed.total());
    }

    private static TelemetrySnapshot run(String backend) {
        KernelHost host = new KernelHost(HOST, backend).booted();
        host.machine.rmpUpdate(5 * GIB, RmpState.guestPrivate(1, 0, PageSize.SIZE_2M, false));
        host.at(10_000_000_000L);
        host.kernel.requestManualPass();
        return host.telemetry.snapshot(host.scheduler.now());
    }
}
