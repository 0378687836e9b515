package dev.rmpopt.fleet;

import java.util.List;

/**
 * Picks the host of a VM at its arrival, as a cloud allocator does; {@link Schedulers} has the
 * built-in ones by name. Called in arrival order with every host's load at that moment. Must be
 * deterministic: the same loads and VM give the same host.
 */
public interface VmScheduler {

    /** Its name in fleet files and reports. */
    String name();

    /** The index in {@code hosts} of the host that takes {@code vm}, or -1 when none can ({@link HostLoad#fits}). */
    int choose(FleetVm vm, List<HostLoad> hosts);
}
