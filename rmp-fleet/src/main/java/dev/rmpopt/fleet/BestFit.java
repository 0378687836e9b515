package dev.rmpopt.fleet;

import java.util.List;

/** {@link Schedulers#bestFit()}. */
final class BestFit implements VmScheduler {

    @Override
    public String name() {
        return Schedulers.BEST_FIT;
    }

    @Override
    public int choose(FleetVm vm, List<HostLoad> hosts) {
        return best(vm, hosts, h -> true);
    }

    /** The host among those {@code eligible} that fits {@code vm} with the least memory left, lowest index on ties. */
    static int best(FleetVm vm, List<HostLoad> hosts, java.util.function.Predicate<HostLoad> eligible) {
        int best = -1;
        long bestLeft = Long.MAX_VALUE;
        for (int i = 0; i < hosts.size(); i++) {
            HostLoad h = hosts.get(i);
            if (eligible.test(h) && h.fits(vm)) {
                long left = h.freeBytes() - Assigner.need(vm);
                if (left < bestLeft) {
                    best = i;
                    bestLeft = left;
                }
            }
        }
        return best;
    }
}
