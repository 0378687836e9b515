package dev.rmpopt.fleet;

import java.util.List;

/** {@link Schedulers#snpAware()}. */
final class SnpAware implements VmScheduler {

    @Override
    public String name() {
        return Schedulers.SNP_AWARE;
    }

    @Override
    public int choose(FleetVm vm, List<HostLoad> hosts) {
        if (!vm.snp()) {
            int host = BestFit.best(vm, hosts, h -> h.snpVms() == 0);
            return host >= 0 ? host : BestFit.best(vm, hosts, h -> h.snpVms() > 0);
        }
        long need = Assigner.need(vm);
        int best = -1;
        long bestRegions = Long.MAX_VALUE;
        long bestLeft = Long.MAX_VALUE;
        for (int i = 0; i < hosts.size(); i++) {
            HostLoad h = hosts.get(i);
            if (h.snpVms() > 0 && h.fits(vm)) {
                long added = h.snpRegionsWith(need) - h.snpRegionsWith(0);
                long left = h.freeBytes() - need;
                if (added < bestRegions || (added == bestRegions && left < bestLeft)) {
                    best = i;
                    bestRegions = added;
                    bestLeft = left;
                }
            }
        }
        return best >= 0 ? best : BestFit.best(vm, hosts, h -> h.snpVms() == 0);
    }
}
