package dev.rmpopt.kvm;

import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.Geometry;
import java.util.BitSet;

/**
 * A VM of the {@link Hypervisor}: its spec, ASID, vCPU placement and memory. The hypervisor
 * changes it; callers read it.
 */
public final class Vm {

    private final int id;
    private final VmSpec spec;
    private final int asid;
    private final int[] vcpuHostCpus;
    final long[] backingFrames;
    /** SNP: private 4 KiB pages by GPA page; sized once, so that accepting memory never copies it. */
    final BitSet privatePages;
    /** SNP: private 2 MiB RMP entries by GPA 2 MiB index. */
    final BitSet private2M;
    /** SNP: accepted 4 MiB chunks. */
    final BitSet acceptedChunks = new BitSet();
    long contextPage = -1;
    private boolean destroyed;
    /** The hypervisor it runs on; null before its launch completes, once destroyed, or leaked. */
    Hypervisor runningOn;
    private final Accessor accessor;

    Vm(int id, VmSpec spec, int asid, int[] vcpuHostCpus, long[] backingFrames) {
        this.id = id;
        this.spec = spec;
        this.asid = asid;
        this.vcpuHostCpus = vcpuHostCpus;
        this.backingFrames = backingFrames;
        this.accessor = spec.snp() ? new Accessor.SnpGuest(asid) : new Accessor.NonSnpGuest(id);
        long memory = spec.snp() ? spec.memoryBytes() : 0;
        this.privatePages = new BitSet(Math.toIntExact(memory / Geometry.PAGE_4K));
        this.private2M = new BitSet(Math.toIntExact(memory / Geometry.PAGE_2M));
    }

    /** The hypervisor's identifier. */
    public int id() {
        return id;
    }

    /** What it was launched with. */
    public VmSpec spec() {
        return spec;
    }

    /** Its ASID, or 0 for a legacy VM. */
    public int asid() {
        return asid;
    }

    /** Who its own accesses are made as. */
    public Accessor accessor() {
        return accessor;
    }

    /** The host CPU vCPU {@code vcpu} runs on. */
    public int hostCpuOf(int vcpu) {
        return vcpuHostCpus[vcpu];
    }

    /** Whether it was destroyed. */
    public boolean isDestroyed() {
        return destroyed;
    }

    void markDestroyed() {
        destroyed = true;
    }

    /** Bytes of its memory that are private (assigned in the RMP). */
    public long privateBytes() {
        return privatePages.cardinality() * Geometry.PAGE_4K;
    }

    /** The SPA backing guest physical address {@code gpa}. */
    public long spaOf(long gpa) {
        if (gpa < 0 || gpa >= spec.memoryBytes()) {
            throw new IllegalArgumentException("GPA " + Geometry.hex(gpa) + " is outside VM " + id + "'s memory");
        }
        long page = spec.backing().bytes();
        return backingFrames[(int) (gpa / page)] + gpa % page;
    }

    /** Whether any 4 KiB page of 2 MiB range {@code range2M} (GPA / 2 MiB) is private: its 8 words, not a scan to the end. */
    boolean anyPrivateIn2M(int range2M) {
        int first = range2M * Geometry.PAGES_PER_2M;
        return !privatePages.get(first, first + Geometry.PAGES_PER_2M).isEmpty();
    }

    /** Whether the 4 KiB page at {@code gpa} is private. */
    public boolean isPrivate(long gpa) {
        return privatePages.get(Math.toIntExact(gpa / Geometry.PAGE_4K));
    }
}
