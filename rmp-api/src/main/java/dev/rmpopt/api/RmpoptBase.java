package dev.rmpopt.api;

/**
 * The value of the per-core RMPOPT_BASE MSR (model §4): bit 0 enables RMPOPT, the rest is the 1 GiB
 * aligned base of the core's window {@code [base, base + window)}.
 *
 * @param base    the window's base SPA, 1 GiB aligned
 * @param enabled bit 0
 */
public record RmpoptBase(long base, boolean enabled) {

    /** The MSR's number, {@code MSR_AMD64_RMPOPT_BASE}. */
    public static final long MSR = 0xC0010139L;
    /** Bit 0, {@code MSR_AMD64_RMPOPT_ENABLE}. */
    public static final long ENABLE = 1L;
    /** The MSR after reset, and after the kernel's cleanup writes 0 (model §7.5). */
    public static final RmpoptBase DISABLED = new RmpoptBase(0, false);

    /** Rejects a negative or unaligned base. */
    public RmpoptBase {
        if (base < 0 || !Geometry.isAligned(base, Geometry.REGION_1G)) {
            throw new IllegalArgumentException("RMPOPT_BASE must be a 1 GiB-aligned SPA, not " + Geometry.hex(base));
        }
    }

    /**
     * Decodes a raw MSR value, or throws {@link IllegalArgumentException} if reserved bits are
     * set: bits 1-29, or bits at or above {@link RmpState#GPA_LIMIT}'s 52 (the physical address
     * width).
     */
    public static RmpoptBase fromRaw(long raw) {
        if ((raw & (Geometry.REGION_1G - 1) & ~ENABLE) != 0) {
            throw new IllegalArgumentException("RMPOPT_BASE reserved bits 1-29 set in " + Geometry.hex(raw));
        }
        if ((raw & -RmpState.GPA_LIMIT) != 0) {
            throw new IllegalArgumentException("RMPOPT_BASE bits 52-63 are reserved (beyond the physical address width) in "
                    + Geometry.hex(raw));
        }
        return new RmpoptBase(raw & -Geometry.REGION_1G, (raw & ENABLE) != 0);
    }

    /** The raw MSR value. */
    public long raw() {
        return base | (enabled ? ENABLE : 0);
    }
}
