package dev.rmpopt.fleet;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.kvm.Distribution;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedulers: deterministic, each true to its rule, refusals counted. */
class AssignerTest {

    static final HostGroup SMALL = new HostGroup("s", 3, 16, 1, 2, 2, 1);
    static final HostGroup LARGE = new HostGroup("l", 1, 64, 1, 4, 2, 1);
    static final long DAY = 86400 * SECOND;

    static List<FleetHost> hosts(HostGroup... groups) {
        List<FleetHost> all = new ArrayList<>();
        for (HostGroup g : groups) {
            for (int i = 0; i < g.count(); i++) {
                all.add(new FleetHost(all.size(), g.shape() + "-" + i, g));
            }
        }
        return all;
    }

    static FleetVm vm(String name, long at, long gib, boolean snp) {
        return new FleetVm(name, at * SECOND, Long.MAX_VALUE, gib * GIB, 1, snp);
    }

    static List<String> placement(FleetAssignment a) {
        List<String> where = new ArrayList<>();
        for (HostPlan p : a.plans()) {
            p.vms().forEach(v -> where.add(v.name() + "@" + p.host().name()));
        }
        return where.stream().sorted().toList();
    }

    @Test
    void firstFitTakesTheLowestHostThatFits() {
        List<FleetVm> vms = List.of(vm("a", 1, 8, false), vm("b", 2, 8, true), vm("c", 3, 4, false));
        FleetAssignment a = Assigner.assign(vms, hosts(SMALL, LARGE), Schedulers.firstFit(), 1, DAY);
        // a 16 GiB host holds less than 16 GiB of guests (firmware, RMP), so b does not fit beside a
        assertEquals(List.of("a@s-0", "b@s-1", "c@s-0"), placement(a));
    }

    @Test
    void bestFitTakesTheHostLeftWithLeastMemory() {
        List<FleetVm> vms = List.of(vm("a", 1, 40, false), vm("b", 2, 8, false), vm("c", 3, 12, false));
        FleetAssignment a = Assigner.assign(vms, hosts(SMALL, LARGE), Schedulers.bestFit(), 1, DAY);
        // b (8): the large host has about 23 GiB left, a small one under 15: b goes small; c (12) then leaves about
        // 3 GiB on an empty small host and 11 on the large one
        assertEquals(List.of("a@l-0", "b@s-0", "c@s-1"), placement(a));
    }

    @Test
    void snpAwareKeepsSnpGuestsTogetherAndLegacyGuestsApart() {
        List<FleetVm> vms = List.of(vm("snp1", 1, 2, true), vm("leg1", 2, 2, false), vm("snp2", 3, 2, true),
                vm("leg2", 4, 2, false), vm("snp3", 5, 2, true));
        FleetAssignment aware = Assigner.assign(vms, hosts(SMALL, LARGE), Schedulers.snpAware(), 1, DAY);
        assertEquals(1, aware.snpHosts(), placement(aware).toString());
        for (HostPlan p : aware.plans()) {
            assertTrue(p.snpVms() == 0 || p.snpVms() == p.vms().size(), "no legacy guest beside SNP ones: " + placement(aware));
        }
        FleetAssignment first = Assigner.assign(vms, hosts(SMALL, LARGE), Schedulers.firstFit(), 2, DAY);
        assertEquals(1, first.hostsUsed(), "first fit puts all five on s-0 (8 vCPUs with the overcommit of 2)");
    }

    @Test
    void snpAwareFillsPartlyUsedRegionsFirst() {
        // h-0's SNP memory leaves 514 MiB of its second 1 GiB region free; h-1's fills one region exactly, and a
        // legacy guest makes h-1 the tighter fit: a 508 MiB SNP guest adds no region on h-0 and one on h-1
        HostGroup g = new HostGroup("h", 2, 16, 1, 2, 2, 1);
        List<FleetHost> hosts = hosts(g);
        HostLoad h0 = new HostLoad(hosts.get(0), 15 * GIB, 100);
        HostLoad h1 = new HostLoad(hosts.get(1), 15 * GIB, 100);
        h0.add(new FleetVm("a", SECOND, Long.MAX_VALUE, 1532L << 20, 1, true));
        h1.add(new FleetVm("b", SECOND, Long.MAX_VALUE, 1020L << 20, 1, true));
        h1.add(new FleetVm("filler", SECOND, Long.MAX_VALUE, 8 * GIB, 1, false));
        assertEquals(2, h0.snpRegionsWith(0));
        assertEquals(1, h1.snpRegionsWith(0));
        FleetVm guest = new FleetVm("c", 2 * SECOND, Long.MAX_VALUE, 508L << 20, 1, true);
        assertEquals(2, h0.snpRegionsWith(Assigner.need(guest)));
        assertEquals(0, Schedulers.snpAware().choose(guest, List.of(h0, h1)), "no new region on h-0");
        assertEquals(1, Schedulers.bestFit().choose(guest, List.of(h0, h1)), "best fit takes the tighter h-1");
    }

    @Test
    void aVmNoHostCanTakeIsRefusedAndCounted() {
        List<FleetVm> vms = List.of(vm("huge", 1, 128, false), vm("ok", 2, 4, true));
        for (String s : Schedulers.names()) {
            FleetAssignment a = Assigner.assign(vms, hosts(SMALL, LARGE), Schedulers.named(s), 1, DAY);
            assertEquals(List.of("huge"), a.refused().stream().map(FleetVm::name).toList(), s);
            assertEquals(2, a.vms());
        }
    }

    @Test
    void aDepartureMakesRoomForAnArrivalAtTheSameTime() {
        HostGroup one = new HostGroup("x", 1, 16, 1, 2, 2, 1);
        List<FleetVm> vms = List.of(new FleetVm("a", SECOND, 10 * SECOND, 12 * GIB, 1, false),
                new FleetVm("b", 10 * SECOND, Long.MAX_VALUE, 12 * GIB, 1, false),
                new FleetVm("c", 11 * SECOND, Long.MAX_VALUE, 12 * GIB, 1, false));
        FleetAssignment a = Assigner.assign(vms, hosts(one), Schedulers.firstFit(), 1, DAY);
        assertEquals(List.of("c"), a.refused().stream().map(FleetVm::name).toList());
        List<String> events = StandardHostSimulator.events(a.plans().get(0)).stream()
                .map(e -> e.getClass().getSimpleName() + " " + e.vm()).toList();
        assertEquals(List.of("Launch a", "Destroy a", "Launch b"), events, "the host destroys a before it launches b");
    }

    @Test
    void vcpusAreACapacityToo() {
        HostGroup g = new HostGroup("v", 2, 64, 1, 2, 2, 1); // 4 logical CPUs each
        List<FleetVm> vms = List.of(new FleetVm("a", SECOND, Long.MAX_VALUE, GIB, 3, false),
                new FleetVm("b", 2 * SECOND, Long.MAX_VALUE, GIB, 3, false));
        assertEquals(List.of("a@v-0", "b@v-1"), placement(Assigner.assign(vms, hosts(g), Schedulers.firstFit(), 1, DAY)));
        assertEquals(List.of("a@v-0", "b@v-0"), placement(Assigner.assign(vms, hosts(g), Schedulers.firstFit(), 2, DAY)));
    }

    @Test
    void theSameSeedGivesTheSameWorkloadAndAssignment() {
        FleetWorkload.Synthetic w = new FleetWorkload.Synthetic(600, new Distribution.Exponential(600 * SECOND),
                new Distribution.Uniform(1, 8), 0.25, 0.5);
        System.out.println("seed " + Fleets.SEED);
        List<FleetVm> one = SyntheticFleetWorkload.generate(w, 3600 * SECOND, Fleets.SEED);
        List<FleetVm> two = SyntheticFleetWorkload.generate(w, 3600 * SECOND, Fleets.SEED);
        assertEquals(one, two);
        assertTrue(one.size() > 500 && one.size() < 700, "about 600 in an hour: " + one.size());
        assertTrue(!one.equals(SyntheticFleetWorkload.generate(w, 3600 * SECOND, Fleets.SEED + 1)));
        for (String s : Schedulers.names()) {
            assertEquals(Assigner.assign(one, hosts(SMALL, LARGE), Schedulers.named(s), 1, 3600 * SECOND),
                    Assigner.assign(two, hosts(SMALL, LARGE), Schedulers.named(s), 1, 3600 * SECOND), s);
        }
    }
}
