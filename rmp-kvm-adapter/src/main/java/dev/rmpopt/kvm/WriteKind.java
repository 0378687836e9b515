package dev.rmpopt.kvm;

/** Why a write happened, for the hypervisor's accounting (SPEC 5). */
public enum WriteKind {
    /** The hypervisor emulating a device writes into a guest's shared page. */
    DEVICE_EMULATION,
    /** The hypervisor zeroes a frame before handing it to a guest. */
    PAGE_ZEROING,
    /** A legacy (non-SNP) guest writes its own memory. */
    LEGACY_GUEST,
    /** An SNP guest writes its private memory; always RMP-checked. */
    SNP_GUEST
}
