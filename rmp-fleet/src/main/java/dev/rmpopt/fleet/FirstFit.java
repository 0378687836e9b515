package dev.rmpopt.fleet;

import java.util.List;

/** {@link Schedulers#firstFit()}. */
final class FirstFit implements VmScheduler {

    @Override
    public String name() {
        return Schedulers.FIRST_FIT;
    }

    @Override
    public int choose(FleetVm vm, List<HostLoad> hosts) {
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).fits(vm)) {
                return i;
            }
        }
        return -1;
    }
}
