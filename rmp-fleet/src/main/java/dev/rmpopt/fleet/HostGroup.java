package dev.rmpopt.fleet;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import java.io.Serializable;

/**
 * One shape of host in a fleet and how many of it: for example 800 hosts of 2 TiB x 512 cores.
 *
 * @param shape              the shape's name, used in host names ({@code shape-0007})
 * @param count              hosts of this shape, at least 1
 * @param memoryGib          the top of RAM in GiB (the MMIO hole [3, 4) GiB is carved out)
 * @param sockets            sockets
 * @param coresPerSocket     physical cores per socket
 * @param threadsPerCore     SMT threads per core, 1 or 2
 * @param numaNodesPerSocket NUMA nodes per socket (NPS)
 */
public record HostGroup(String shape, int count, long memoryGib, int sockets, int coresPerSocket, int threadsPerCore,
                        int numaNodesPerSocket) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The host this shape describes, as {@link HostDescription#standard} lays it out. */
    public HostDescription description() {
        return HostDescription.standard(new CpuTopology(sockets, coresPerSocket, threadsPerCore, numaNodesPerSocket),
                Math.multiplyExact(memoryGib, Geometry.GIB));
    }

    /** Physical cores of one host. */
    public int cores() {
        return sockets * coresPerSocket;
    }

    /** Logical CPUs of one host. */
    public int cpus() {
        return cores() * threadsPerCore;
    }

    /** A short summary such as {@code 2048 GiB x 256 cores}. */
    public String summary() {
        return memoryGib + " GiB x " + cores() + " cores";
    }
}
