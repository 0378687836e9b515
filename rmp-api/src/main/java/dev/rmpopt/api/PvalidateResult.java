package dev.rmpopt.api;

/**
 * What PVALIDATE returns (model §4): a return code and, on success, whether the validated bit
 * already had the requested value (the instruction's "no change" carry flag).
 *
 * @param code     {@link RmpReturnCode#SUCCESS}, or why the guest's request failed
 * @param noChange the entry already had the requested validated bit (only with SUCCESS)
 */
public record PvalidateResult(RmpReturnCode code, boolean noChange) {

    /** Rejects "no change" on a failure. */
    public PvalidateResult {
        if (noChange && code != RmpReturnCode.SUCCESS) {
            throw new IllegalArgumentException("noChange only accompanies SUCCESS");
        }
    }

    /** A failure with {@code code}. */
    public static PvalidateResult failed(RmpReturnCode code) {
        return new PvalidateResult(code, false);
    }
}
