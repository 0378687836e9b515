package dev.rmpopt.api;

/**
 * What a WRMSR of RMPOPT_BASE does (model §4): the value is written, or the write raises #GP because
 * SNP or the segmented RMP is not enabled, or the value sets reserved bits.
 */
public sealed interface WrmsrResult permits WrmsrResult.Written, WrmsrResult.GeneralProtection {

    /** The write took effect. */
    Written WRITTEN = new Written();

    /** The MSR now holds the value. */
    record Written() implements WrmsrResult {
    }

    /**
     * #GP: the write was refused and changed nothing.
     *
     * @param reason why, for people
     */
    record GeneralProtection(String reason) implements WrmsrResult {
    }
}
