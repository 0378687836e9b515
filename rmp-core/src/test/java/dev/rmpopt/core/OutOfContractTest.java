package dev.rmpopt.core;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_4K;
import static dev.rmpopt.api.Geometry.TIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpFault;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.SnpMachine;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both backends refuse out-of-contract arguments as the SPI says (null first with
 * NullPointerException, then negative addresses and missing CPUs with IllegalArgumentException),
 * changing nothing and reporting nothing; and both model a sparse host whose RAM lies above 8 TiB.
 */
class OutOfContractTest {

    private static final RmpState PRIVATE = RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false);

    @ParameterizedTest
    @ValueSource(strings = {"reference", "scalable"})
    void nullsAreRefusedFirstWithNothingChangedAndNoEvent(String backend) {
        AtomicInteger events = new AtomicInteger();
        RmpEventListener counting = new RmpEventListener() {
            @Override
            public void onRmpopt(int cpu, long regionBase, RmpoptFunction function, dev.rmpopt.api.RmpoptResult result) {
                events.incrementAndGet();
            }

            @Override
            public void onAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
                events.incrementAndGet();
            }

            @Override
            public void onRmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) {
                events.incrementAndGet();
            }
        };
        SnpMachine m = RmpBackendProvider.named(backend).create(TestHosts.small(), ModelOptions.DEFAULTS, counting);
        m.snpInit();
        m.wrmsrRmpoptBase(0, RmpoptBase.ENABLE);
        events.set(0);
        long clean = 5 * GIB;
        npe(() -> m.rmpopt(0, clean, null));
        npe(() -> m.rmpopt(99, -1, null)); // null first, before the CPU and the address
        npe(() -> m.rmpUpdate(null, clean, PRIVATE));
        npe(() -> m.rmpUpdate(Accessor.HYPERVISOR, -PAGE_4K, null));
        npe(() -> m.psmash(null, clean));
        npe(() -> m.pvalidate(null, clean, PageSize.SIZE_4K, true));
        npe(() -> m.pvalidate(new Accessor.SnpGuest(1), clean, null, true));
        npe(() -> m.access(0, null, AccessKind.WRITE, clean, MappingSize.SIZE_4K));
        npe(() -> m.access(0, Accessor.HYPERVISOR, null, clean, MappingSize.SIZE_4K));
        npe(() -> m.access(0, Accessor.HYPERVISOR, AccessKind.WRITE, clean, null));
        npe(() -> m.access(-1, Accessor.HYPERVISOR, AccessKind.WRITE, -1, null));
        iae(() -> m.rmpopt(0, -GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS));
        iae(() -> m.rmpopt(Integer.MIN_VALUE, clean, RmpoptFunction.VERIFY_AND_REPORT_STATUS));
        iae(() -> m.pvalidate(new Accessor.SnpGuest(1), Long.MIN_VALUE, PageSize.SIZE_4K, true));
        iae(() -> m.wrmsrRmpoptBase(8, RmpoptBase.ENABLE));
        assertEquals(0, events.get(), "a refused call reports nothing");
        assertEquals(false, m.rmpopt(0, clean, RmpoptFunction.REPORT_STATUS).carry(), "and sets no bit");
        assertEquals(RmpEntry.HYPERVISOR, m.rmpRead(clean).entry());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "scalable"})
    void aSparseHostAbove8TiBHasPageIndicesPast2To31(String backend) {
        long high = 9 * TIB;
        CpuTopology topology = new CpuTopology(1, 2, 1);
        long rmpBytes = 17L << 20; // enough for 4 GiB of RAM with a segmented RMP (16 MiB and the bookkeeping)
        HostDescription host = HostDescription.builder(topology)
                .ram(0, 2 * GIB, 0).ram(high, high + 2 * GIB, 0)
                .rmpTable(2 * GIB - rmpBytes, 2 * GIB)
                .build();
        SnpMachine m = RmpBackendProvider.named(backend).create(host, ModelOptions.DEFAULTS, RmpEventListener.NONE);
        m.snpInit();
        m.wrmsrRmpoptBase(0, high | RmpoptBase.ENABLE);
        long page = high + GIB + 5 * PAGE_4K;
        assertTrue(m.rmpopt(0, page, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry());
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(page, PRIVATE));
        assertEquals(false, m.rmpopt(0, page, RmpoptFunction.REPORT_STATUS).carry());
        assertEquals(PRIVATE.toEntry(), m.rmpRead(page).entry());
        assertInstanceOf(RmpFault.class, m.write(0, Accessor.HYPERVISOR, page, MappingSize.SIZE_4K));
        assertEquals(RmpEntry.HYPERVISOR, m.rmpRead(GIB + 5 * PAGE_4K).entry(), "low RAM untouched");
    }

    private static void npe(Executable e) {
        assertThrows(NullPointerException.class, e);
    }

    private static void iae(Executable e) {
        assertThrows(IllegalArgumentException.class, e);
    }
}
