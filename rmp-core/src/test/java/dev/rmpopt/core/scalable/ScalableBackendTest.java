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
}
