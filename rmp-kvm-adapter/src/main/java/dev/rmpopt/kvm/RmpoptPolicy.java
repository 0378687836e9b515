package dev.rmpopt.kvm;

import java.util.BitSet;

/**
 * When the kernel re-runs RMPOPT passes after boot (SPEC 7). A policy is told of each SNP VM
 * destroy and asks its {@link KernelRmpopt} for passes; the kernel runs one pass at a time.
 * Bind another implementation in {@link KvmModule} to try a new one.
 */
public interface RmpoptPolicy {

    /** A short name for reports, for example {@code v8-v10}. */
    String name();

    /**
     * An SNP VM was destroyed (after DECOMMISSION and after its pages were made shared and freed);
     * {@code freedRegions} are the 1 GiB regions that held its private memory.
     */
    void onSnpVmDestroyed(KernelRmpopt kernel, BitSet freedRegions);
}
