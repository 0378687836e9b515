package dev.rmpopt.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one RMPOPT round did on each CPU of its mask (model §4, §7): per CPU, CF=1, CF=0, or #UD,
 * kept as bit words parallel to the {@link CpuMask}'s ({@link SnpMachine#rmpoptOnCpus}). Immutable.
 */
public final class RmpoptResults {

    private final CpuMask cpus;
    private final long[] carry;
    private final long[] invalidOpcode;

    /**
     * The results of a round over {@code cpus}: {@code carry} and {@code invalidOpcode} are bit words
     * over CPU ids (copied), each a subset of {@code cpus}, and disjoint.
     *
     * @throws IllegalArgumentException if a bit lies outside {@code cpus} or a CPU both carried and faulted
     */
    public RmpoptResults(CpuMask cpus, long[] carry, long[] invalidOpcode) {
        this.cpus = Objects.requireNonNull(cpus, "cpus");
        int n = cpus.wordCount();
        this.carry = Arrays.copyOf(carry, n);
        this.invalidOpcode = Arrays.copyOf(invalidOpcode, n);
        for (int i = 0; i < Math.max(carry.length, invalidOpcode.length); i++) {
            long c = i < carry.length ? carry[i] : 0;
            long u = i < invalidOpcode.length ? invalidOpcode[i] : 0;
            if (((c | u) & ~cpus.word(i)) != 0 || (c & u) != 0) {
                throw new IllegalArgumentException("round results must be disjoint subsets of the round's CPUs (word " + i + ")");
            }
        }
    }

    /** The CPUs of the round. */
    public CpuMask cpus() {
        return cpus;
    }

    /** {@code cpu}'s result; {@link IllegalArgumentException} if it was not in the round. */
    public RmpoptResult result(int cpu) {
        if (!cpus.contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " was not in the round " + cpus);
        }
        long bit = 1L << cpu;
        if ((invalidOpcode[cpu >> 6] & bit) != 0) {
            return RmpoptResult.UD;
        }
        return RmpoptResult.carry((carry[cpu >> 6] & bit) != 0);
    }

    /** Whether {@code cpu} completed with CF=1 (false for a CPU not in the round). */
    public boolean carry(int cpu) {
        return cpus.contains(cpu) && (carry[cpu >> 6] & (1L << cpu)) != 0;
    }

    /** Word {@code index} of the CPUs that completed with CF=1. */
    public long carryWord(int index) {
        return index < carry.length ? carry[index] : 0;
    }

    /** Word {@code index} of the CPUs that raised #UD. */
    public long invalidOpcodeWord(int index) {
        return index < invalidOpcode.length ? invalidOpcode[index] : 0;
    }

    /** CPUs that completed with CF=1. */
    public int carryCount() {
        int n = 0;
        for (long w : carry) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** CPUs that raised #UD. */
    public int invalidOpcodeCount() {
        int n = 0;
        for (long w : invalidOpcode) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** The CPUs that completed with CF=1, as a mask. */
    public CpuMask carried() {
        return CpuMask.ofWords(carry);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RmpoptResults r && cpus.equals(r.cpus) && Arrays.equals(carry, r.carry)
                && Arrays.equals(invalidOpcode, r.invalidOpcode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cpus, Arrays.hashCode(carry), Arrays.hashCode(invalidOpcode));
    }

    @Override
    public String toString() {
        return "RmpoptResults[cpus=" + cpus + ", carry=" + carried() + ", ud=" + CpuMask.ofWords(invalidOpcode) + "]";
    }
}
