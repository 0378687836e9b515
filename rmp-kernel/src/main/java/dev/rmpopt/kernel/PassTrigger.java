package dev.rmpopt.kernel;

/** What started an RMPOPT pass (model §7.4, version by version). */
public enum PassTrigger {
    /** The first pass, right after setup (v4+: after SNP_INIT_EX). */
    BOOT,
    /** {@code echo 1 > /sys/kernel/config/rmpopt/action} (v1's configfs). */
    MANUAL,
    /** guest_memfd memory of an SNP guest was freed (v2). */
    GUEST_MEMFD_FREE,
    /** 10 s after an SNP VM was destroyed; a request while one is pending is dropped (v3-v7). */
    VM_DESTROY_DELAYED,
    /** 10 s after the last SNP VM destroy; every destroy restarts the delay (v8-v10). */
    VM_DESTROY_DEBOUNCED,
    /** Only the 1 GiB regions freed since the last pass (proposed in review, never built upstream). */
    TARGETED
}
