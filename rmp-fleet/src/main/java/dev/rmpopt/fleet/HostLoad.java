package dev.rmpopt.fleet;

import dev.rmpopt.api.Geometry;

/**
 * What a scheduler knows of one host at a VM's arrival: its capacity and what its VMs hold now.
 * Read-only to schedulers; {@link Assigner} keeps it.
 */
public final class HostLoad {

    private final FleetHost host;
    private final long capacityBytes;
    private final long vcpuCapacity;
    private long usedBytes;
    private long usedVcpus;
    private long snpBytes;
    private int vms;
    private int snpVms;

    HostLoad(FleetHost host, long capacityBytes, long vcpuCapacity) {
        this.host = host;
        this.capacityBytes = capacityBytes;
        this.vcpuCapacity = vcpuCapacity;
    }

    /** The host. */
    public FleetHost host() {
        return host;
    }

    /** Guest memory the host can hold: its free frames after boot. */
    public long capacityBytes() {
        return capacityBytes;
    }

    /** Memory not held by a VM now. */
    public long freeBytes() {
        return capacityBytes - usedBytes;
    }

    /** vCPUs it may still take. */
    public long freeVcpus() {
        return vcpuCapacity - usedVcpus;
    }

    /** Memory held by SNP guests now. */
    public long snpBytes() {
        return snpBytes;
    }

    /** VMs on it now. */
    public int vms() {
        return vms;
    }

    /** SNP guests on it now. */
    public int snpVms() {
        return snpVms;
    }

    /** Whether {@code vm} fits now: memory (an SNP guest's context page needs a 2 MiB frame more), vCPUs, ASIDs. */
    public boolean fits(FleetVm vm) {
        return Assigner.need(vm) <= freeBytes() && vm.vcpus() <= freeVcpus()
                && (!vm.snp() || snpVms < Assigner.MAX_SNP_GUESTS);
    }

    /** 1 GiB regions SNP memory would fill, at the least, with {@code extraBytes} more SNP memory. */
    public long snpRegionsWith(long extraBytes) {
        return (snpBytes + extraBytes + Geometry.GIB - 1) / Geometry.GIB;
    }

    void add(FleetVm vm) {
        usedBytes += Assigner.need(vm);
        usedVcpus += vm.vcpus();
        vms++;
        if (vm.snp()) {
            snpBytes += Assigner.need(vm);
            snpVms++;
        }
    }

    void remove(FleetVm vm) {
        usedBytes -= Assigner.need(vm);
        usedVcpus -= vm.vcpus();
        vms--;
        if (vm.snp()) {
            snpBytes -= Assigner.need(vm);
            snpVms--;
        }
    }
}
