package dev.rmpopt.kvm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.SnpMachine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/** model §6 checks for adapter-driven histories, by reading the machine through the SPI. */
final class Invariants {

    private Invariants() {
    }

    /**
     * I1 and I6 at a quiescent point: every region any CPU reports optimized holds no assigned
     * entry, and every entry read is consistent.
     */
    static void checkQuiescent(SnpMachine machine) {
        int cpus = machine.host().topology().cpuCount();
        for (long region = 0; region < machine.host().regionCount(); region++) {
            boolean optimizedSomewhere = false;
            for (int cpu = 0; cpu < cpus && !optimizedSomewhere; cpu++) {
                optimizedSomewhere = machine.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry();
            }
            if (optimizedSomewhere && holdsAssignedPage(machine, region)) {
                fail("I1: region " + region + " is optimized but holds an assigned page");
            }
        }
    }

    private static boolean holdsAssignedPage(SnpMachine machine, long region) {
        long base = Geometry.regionBase(region);
        for (long range = base; range < base + Geometry.REGION_1G; range += Geometry.PAGE_2M) {
            if (!machine.host().isRam(range)) {
                continue;
            }
            RmpEntry first = machine.rmpRead(range).entry();
            checkConsistent(first);
            if (first.pageSize() == PageSize.SIZE_2M) {
                if (first.assigned()) {
                    return true;
                }
                continue;
            }
            for (long page = range; page < range + Geometry.PAGE_2M; page += Geometry.PAGE_4K) {
                RmpEntry e = machine.rmpRead(page).entry();
                checkConsistent(e);
                if (e.assigned()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** I6 for one entry. */
    static void checkConsistent(RmpEntry e) {
        if (e.validated()) {
            assertTrue(e.assigned(), "I6: validated implies assigned: " + e);
        }
        if (e.assigned() && !e.immutable() && e.asid() == 0) {
            return; // RECLAIM
        }
        if (!e.assigned()) {
            assertFalse(e.asid() != 0, "I6: an unassigned entry has no ASID: " + e);
        }
    }

    /**
     * {@code machine} with I2 checked on every write: a write that skipped the RMP check must not
     * touch an assigned page (the page for a 4K mapping, its 2M range for larger ones).
     */
    static SnpMachine checkingSkippedWrites(SnpMachine machine) {
        return (SnpMachine) Proxy.newProxyInstance(Invariants.class.getClassLoader(), new Class<?>[] {SnpMachine.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(machine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("access") && result instanceof AccessOutcome.Skipped) {
                        long spa = (long) args[3];
                        MappingSize mapping = (MappingSize) args[4];
                        long start = Geometry.alignDown(spa, mapping.checkedBytes());
                        for (long p = start; p < start + mapping.checkedBytes(); p += Geometry.PAGE_4K) {
                            if (machine.host().isRam(p) && machine.rmpRead(p).entry().assigned()) {
                                fail("I2: a " + args[2] + " by " + args[1] + " to " + Geometry.hex(spa) + " skipped the check but "
                                        + Geometry.hex(p) + " is assigned");
                            }
                        }
                    }
                    return result;
                });
    }

    static boolean isWrite(Object kind) {
        return kind == AccessKind.WRITE;
    }

    static Accessor hypervisor() {
        return Accessor.HYPERVISOR;
    }
}
