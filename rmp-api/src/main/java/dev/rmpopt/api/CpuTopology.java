package dev.rmpopt.api;

import java.util.stream.IntStream;

/**
 * Sockets x cores per socket x SMT threads, with logical CPUs numbered as Linux numbers them on
 * AMD EPYC (model §2): the first thread of every core first, socket by socket, then the second
 * thread of every core in the same order. With 2 sockets x 256 cores x 2 threads, CPUs 0-255 are
 * socket 0's primary threads, 256-511 socket 1's, 512-767 their siblings on socket 0 and 768-1023
 * on socket 1. A core's primary thread is its lowest-numbered CPU.
 *
 * @param sockets          sockets, at least 1
 * @param coresPerSocket   physical cores per socket, at least 1
 * @param threadsPerCore   SMT threads per core, 1 or 2
 * @param numaNodesPerSocket NUMA nodes per socket (NPS), at least 1; cores are split evenly
 */
public record CpuTopology(int sockets, int coresPerSocket, int threadsPerCore, int numaNodesPerSocket) {

    /** Rejects empty or implausible topologies. */
    public CpuTopology {
        if (sockets < 1 || coresPerSocket < 1 || numaNodesPerSocket < 1) {
            throw new IllegalArgumentException("sockets, cores per socket and NUMA nodes per socket must be at least 1");
        }
        if (threadsPerCore < 1 || threadsPerCore > 2) {
            throw new IllegalArgumentException("threads per core must be 1 or 2, not " + threadsPerCore);
        }
        if ((long) sockets * coresPerSocket * threadsPerCore > 1 << 16) {
            throw new IllegalArgumentException("more than 65536 logical CPUs");
        }
    }

    /** A topology with one NUMA node per socket. */
    public CpuTopology(int sockets, int coresPerSocket, int threadsPerCore) {
        this(sockets, coresPerSocket, threadsPerCore, 1);
    }

    /** Logical CPUs. */
    public int cpuCount() {
        return coreCount() * threadsPerCore;
    }

    /** Physical cores. */
    public int coreCount() {
        return sockets * coresPerSocket;
    }

    /** NUMA nodes. */
    public int numaNodeCount() {
        return sockets * numaNodesPerSocket;
    }

    /** Whether {@code cpu} names a logical CPU of this topology. */
    public boolean isCpu(int cpu) {
        return cpu >= 0 && cpu < cpuCount();
    }

    /** The physical core (0 to coreCount-1) of {@code cpu}. */
    public int coreOf(int cpu) {
        return checkCpu(cpu) % coreCount();
    }

    /** The SMT thread index (0 for the primary) of {@code cpu}. */
    public int threadOf(int cpu) {
        return checkCpu(cpu) / coreCount();
    }

    /** The socket of {@code cpu}. */
    public int socketOf(int cpu) {
        return coreOf(cpu) / coresPerSocket;
    }

    /** The NUMA node of {@code cpu}. */
    public int numaNodeOf(int cpu) {
        int coreInSocket = coreOf(cpu) % coresPerSocket;
        int coresPerNode = Math.max(1, coresPerSocket / numaNodesPerSocket);
        return socketOf(cpu) * numaNodesPerSocket + Math.min(numaNodesPerSocket - 1, coreInSocket / coresPerNode);
    }

    /** Whether {@code cpu} is its core's primary thread. */
    public boolean isPrimaryThread(int cpu) {
        return threadOf(cpu) == 0;
    }

    /** The logical CPU of {@code thread} on {@code core}. */
    public int cpuOf(int core, int thread) {
        if (core < 0 || core >= coreCount() || thread < 0 || thread >= threadsPerCore) {
            throw new IllegalArgumentException("no thread " + thread + " on core " + core);
        }
        return thread * coreCount() + core;
    }

    /** The logical CPUs of {@code cpu}'s core, itself included, in ascending order. */
    public int[] siblingsOf(int cpu) {
        int core = coreOf(cpu);
        return IntStream.range(0, threadsPerCore).map(t -> cpuOf(core, t)).toArray();
    }

    /** The primary thread of every core, in ascending order (the kernel's RMPOPT CPU set, model §7). */
    public int[] primaryThreads() {
        return IntStream.range(0, coreCount()).toArray();
    }

    private int checkCpu(int cpu) {
        if (!isCpu(cpu)) {
            throw new IllegalArgumentException("no CPU " + cpu + " (this host has CPUs 0-" + (cpuCount() - 1) + ")");
        }
        return cpu;
    }

    @Override
    public String toString() {
        return sockets + " sockets x " + coresPerSocket + " cores x " + threadsPerCore + " threads";
    }
}
