package dev.rmpopt.core.scalable;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_2M;
import static dev.rmpopt.api.Geometry.PAGE_4K;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.core.TestHosts;
import dev.rmpopt.core.RmpCoreModule;
import org.junit.jupiter.api.Test;

/** What the differential test cannot see: wiring, the entry encoding's range, and memory given back. */
class ScalableBackendTest {

    @Test
    void isTheDefaultBackendAndFoundByName() {
        assertEquals(ScalableBackendProvider.NAME, RmpCoreModule.DEFAULT_BACKEND);
        assertInstanceOf(ScalableBackendProvider.class, RmpBackendProvider.named("scalable"));
        SnpMachine machine = Guice.createInjector(new RmpCoreModule(), new AbstractModule() {
            @Override
            protected void configure() {
                bind(HostDescription.class).toInstance(TestHosts.small());
            }
        }).getInstance(SnpMachine.class);
        assertInstanceOf(ScalableSnpMachine.class, machine);
    }

    @Test
    void entryCodesRoundTripEveryFieldAtItsLimits() {
        for (RmpEntry e : new RmpEntry[] {RmpEntry.HYPERVISOR, RmpEntry.FIRMWARE, RmpEntry.HV_FIXED,
            new RmpEntry(true, PageSize.SIZE_2M, true, true, true, RmpState.MAX_ASID, RmpState.GPA_LIMIT - PAGE_2M),
            new RmpEntry(true, PageSize.SIZE_4K, false, true, false, 1, RmpState.GPA_LIMIT - PAGE_4K),
            new RmpEntry(false, PageSize.SIZE_2M, false, false, false, 0, 0)}) {
            assertEquals(e, EntryCode.decode(EntryCode.encode(e)));
        }
        RmpEntry large = new RmpEntry(true, PageSize.SIZE_2M, false, true, true, 9, 4 * PAGE_2M);
        for (int i : new int[] {0, 1, 511}) {
            assertEquals(large.split(i), EntryCode.decode(EntryCode.split(EntryCode.encode(large), i)));
        }
        assertThrows(IllegalStateException.class,
                () -> EntryCode.encode(new RmpEntry(true, PageSize.SIZE_4K, false, false, false, 1, RmpState.GPA_LIMIT)));
    }

    @Test
    void detailIsGivenBackWhenARangeBecomesUniformAgain() {
        ScalableSnpMachine machine = (ScalableSnpMachine) new ScalableBackendProvider()
                .create(TestHosts.small(), ModelOptions.DEFAULTS, RmpEventListener.NONE);
        machine.snpInit();
        int[] booted = machine.footprint();
        long page = 5 * GIB + 3 * PAGE_2M + 7 * PAGE_4K;
        assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(page, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false)));
        assertEquals(booted[1] + 1, machine.footprint()[1]);
        assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(page, RmpState.shared()));
        assertArrayEquals(new int[] {booted[0] + 1, booted[1]}, machine.footprint());
        // a 2M entry is one code, PSMASH gives it 4K detail, 2M shared takes it back once the pages are free
        long range = 6 * GIB;
        assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(range, RmpState.guestPrivate(1, 0, PageSize.SIZE_2M, false)));
        assertEquals(booted[1], machine.footprint()[1]);
        assertEquals(RmpReturnCode.SUCCESS, machine.psmash(range));
        assertEquals(booted[1] + 1, machine.footprint()[1]);
        for (int i = 0; i < 512; i++) {
            machine.rmpUpdate(range + i * PAGE_4K, RmpState.shared());
        }
        assertEquals(booted[1], machine.footprint()[1]);
    }

    /** The SPI's default observations (RMPREAD scans) of the same machine, bypassing its overrides. */
    static SnpMachine withSpiDefaults(SnpMachine machine) {
        return (SnpMachine) java.lang.reflect.Proxy.newProxyInstance(SnpMachine.class.getClassLoader(), new Class<?>[] {SnpMachine.class},
                (proxy, method, args) -> method.isDefault() ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args)
                        : method.invoke(machine, args));
    }

    /** assignedPages and firstAssignedPage answer from the region's counts exactly as an RMPREAD scan does. */
    @Test
    void theObservationsAgreeWithAnRmpReadScanAfterRandomOperations() {
        long seed = 20261201L;
        HostDescription host = TestHosts.small();
        for (int sequence = 0; sequence < 1; sequence++) {
            SnpMachine machine = new ScalableBackendProvider().create(host, ModelOptions.DEFAULTS, RmpEventListener.NONE);
            SnpMachine scanned = withSpiDefaults(machine);
            OperationGenerator generator = new OperationGenerator(host, new java.util.Random(seed + sequence));
            for (Operation op : generator.boot()) {
                op.apply(machine);
            }
            for (int i = 0; i < 800; i++) {
                generator.next().apply(machine);
            }
            for (long r = 0; r < host.regionCount(); r++) {
                long region = r;
                assertEquals(scanned.assignedPages(r), machine.assignedPages(r), () -> "assigned pages of region " + region + ", seed " + seed);
                assertEquals(scanned.firstAssignedPage(r), machine.firstAssignedPage(r), () -> "first assigned page of region " + region);
            }
        }
        SnpMachine machine = new ScalableBackendProvider().create(host, ModelOptions.DEFAULTS, RmpEventListener.NONE);
        assertThrows(IllegalArgumentException.class, () -> machine.assignedPages(host.regionCount()));
        assertThrows(IllegalArgumentException.class, () -> machine.firstAssignedPage(-1));
        assertThrows(IllegalArgumentException.class, () -> withSpiDefaults(machine).assignedPages(-1));
    }
}
