package dev.rmpopt.experiments.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.kvm.VmEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostTraceTest {

    private static final long GIB = 1L << 30;
    private static final long SECOND = 1_000_000_000L;

    private static TraceVm vm(String id, long created, long deleted, long gib) {
        return TraceVm.of(id, 1, created, deleted < 0 ? OptionalLong.empty() : OptionalLong.of(deleted), 2, gib * GIB,
                Optional.of(id.startsWith("c") ? "Confidential" : "Interactive"), Optional.of("s"));
    }

    private static TraceRules rules(double share, long seed, int host) {
        return new TraceRules(share, Set.of(), Set.of(), seed, 0, OptionalLong.empty(), 1.0, host, 1.0);
    }

    @Test
    void firstFitFillsTheFirstHostAndOpensOthers() {
        // 100 GiB hosts: a (60) and b (30) fit host 0, c (50) opens host 1, d (10) fits host 0 again.
        List<TraceVm> vms = List.of(vm("a", 0, -1, 60), vm("b", 10, -1, 30), vm("c", 20, -1, 50), vm("d", 30, -1, 10));
        HostTrace host0 = HostTrace.of(vms, rules(0, 1, 0), 100 * GIB, 64, 0);
        assertEquals(2, host0.fleetHosts());
        assertEquals(3, host0.onHost());
        assertEquals(List.of("a", "b", "d"), host0.events().stream().map(VmEvent::vm).toList());
        HostTrace host1 = HostTrace.of(vms, rules(0, 1, 1), 100 * GIB, 64, 0);
        assertEquals(List.of("c"), host1.events().stream().map(VmEvent::vm).toList());
    }

    @Test
    void memoryFreedByADeleteIsReused() {
        List<TraceVm> vms = List.of(vm("a", 0, 100, 80), vm("b", 100, -1, 80));
        HostTrace host0 = HostTrace.of(vms, rules(0, 1, 0), 100 * GIB, 64, 0);
        assertEquals(1, host0.fleetHosts());
        assertEquals(List.of(new VmEvent.Launch(0, "a", 80 * GIB, 2, false), new VmEvent.Destroy(100 * SECOND, "a"),
                new VmEvent.Launch(100 * SECOND, "b", 80 * GIB, 2, false)), host0.events());
    }

    @Test
    void windowAndTimeScale() {
        List<TraceVm> vms = List.of(vm("early", 0, 500, 4), vm("alive", 100, 5000, 4), vm("late", 3000, -1, 4), vm("in", 1500, 2500, 4));
        TraceRules r = new TraceRules(0, Set.of(), Set.of(), 1, 1000, OptionalLong.of(3000), 0.5, 0, 1.0);
        HostTrace t = HostTrace.of(vms, r, 100 * GIB, 64, 0);
        assertEquals(2, t.inWindow());
        assertEquals(List.of(new VmEvent.Launch(0, "alive", 4 * GIB, 2, false), new VmEvent.Launch(250 * SECOND, "in", 4 * GIB, 2, false),
                new VmEvent.Destroy(750 * SECOND, "in")), t.events());
    }

    @Test
    void snpByCategoryAndBySeededShare() {
        List<TraceVm> vms = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            vms.add(vm("v" + i, i, -1, 1));
        }
        vms.add(vm("c-confidential", 5, -1, 1));
        TraceRules byCategory = new TraceRules(0, Set.of("Confidential"), Set.of(), 7, 0, OptionalLong.empty(), 1, 0, 1);
        HostTrace t = HostTrace.of(vms, byCategory, 10_000 * GIB, 4096, 0);
        assertEquals(1, t.snpOnHost());
        HostTrace share = HostTrace.of(vms, rules(0.3, 7, 0), 10_000 * GIB, 4096, 0);
        assertTrue(share.snpOnHost() > 250 && share.snpOnHost() < 350, "about 30% of 1001: " + share.snpOnHost());
        assertEquals(share, HostTrace.of(vms, rules(0.3, 7, 0), 10_000 * GIB, 4096, 0), "the same seed, the same guests");
        // the rule is per VM: dropping other VMs does not change whether one is SNP
        for (TraceVm v : vms.subList(0, 50)) {
            assertEquals(HostTrace.isSnp(v, rules(0.3, 7, 0)), HostTrace.isSnp(v, rules(0.3, 7, 0)));
        }
    }

    @Test
    void tooLargeVmsAreDroppedAndCounted() {
        HostTrace t = HostTrace.of(List.of(vm("big", 0, -1, 300), vm("ok", 0, -1, 3)), rules(0, 1, 0), 100 * GIB, 64, 0);
        assertEquals(1, t.tooLarge());
        assertEquals(1, t.onHost());
    }

    @Test
    void legacyMemoryRoundsUpToItsBackingPage() {
        TraceVm odd = TraceVm.of("x", 1, 0, OptionalLong.empty(), 1, 1536L << 20, Optional.empty(), Optional.empty());
        HostTrace t = HostTrace.of(List.of(odd), rules(0, 1, 0), 100 * GIB, 64, GIB);
        assertEquals(new VmEvent.Launch(0, "x", 2 * GIB, 1, false), t.events().get(0));
    }
}
