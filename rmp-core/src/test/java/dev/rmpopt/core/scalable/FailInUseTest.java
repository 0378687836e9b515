package dev.rmpopt.core.scalable;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_2M;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.core.TestHosts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FAIL_INUSE behind {@link ModelOptions#failInUse()} (model §4.1): an RMPUPDATE or PSMASH that meets
 * another CPU changing an entry of its region returns FAIL_INUSE and changes nothing. The other CPU
 * is played by holding the region's word, so the test is deterministic.
 */
class FailInUseTest {

    private static final long SPA = 2 * GIB;

    private static ScalableSnpMachine machine(ModelOptions options, List<RmpReturnCode> heard) {
        return (ScalableSnpMachine) new ScalableBackendProvider().create(TestHosts.small(), options, new RmpEventListener() {
            @Override
            public void onRmpUpdate(dev.rmpopt.api.Accessor caller, long spa, RmpState state, RmpReturnCode result) {
                heard.add(result);
            }

            @Override
            public void onPsmash(dev.rmpopt.api.Accessor caller, long spa, RmpReturnCode result) {
                heard.add(result);
            }
        });
    }

    @Test
    void anUpdateThatMeetsAnotherCpusChangeReturnsInUseAndChangesNothing() {
        List<RmpReturnCode> heard = new ArrayList<>();
        ScalableSnpMachine m = machine(ModelOptions.DEFAULTS.withFailInUse(true), heard);
        m.snpInit();
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(SPA, RmpState.guestPrivate(1, 0, PageSize.SIZE_2M, false)));
        int region = (int) Geometry.regionIndex(SPA);
        long held = m.regionStatesForTest().lock(region); // another CPU is changing an entry of the region
        try {
            assertEquals(RmpReturnCode.FAIL_INUSE, m.rmpUpdate(SPA + PAGE_2M, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false)));
            assertEquals(RmpReturnCode.FAIL_INUSE, m.psmash(SPA));
        } finally {
            m.regionStatesForTest().unlock(region, held, RegionStates.assigned(held));
        }
        assertEquals(RmpEntry.HYPERVISOR, m.rmpRead(SPA + PAGE_2M).entry(), "FAIL_INUSE changed nothing");
        assertEquals(PageSize.SIZE_2M, m.rmpRead(SPA).entry().pageSize(), "nor did the PSMASH");
        assertEquals(List.of(RmpReturnCode.SUCCESS, RmpReturnCode.FAIL_INUSE, RmpReturnCode.FAIL_INUSE), heard,
                "each reported once, with its result");
        // the other CPU is done: the same instructions succeed
        assertEquals(RmpReturnCode.SUCCESS, m.psmash(SPA));
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(SPA + PAGE_2M, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false)));
    }

    @Test
    void withoutTheOptionNothingReturnsInUse() throws InterruptedException {
        List<RmpReturnCode> heard = new ArrayList<>();
        ScalableSnpMachine m = machine(ModelOptions.DEFAULTS, heard);
        assertEquals(false, m.options().failInUse(), "off by default");
        int region = (int) Geometry.regionIndex(SPA);
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(() -> {
            long held = m.regionStatesForTest().lock(region);
            locked.countDown();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                m.regionStatesForTest().unlock(region, held, RegionStates.assigned(held));
            }
        });
        other.start();
        locked.await();
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(SPA, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false)),
                "it waits for the other CPU instead");
        other.join();
    }
}
