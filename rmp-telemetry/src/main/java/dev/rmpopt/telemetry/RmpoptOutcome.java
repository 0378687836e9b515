package dev.rmpopt.telemetry;

import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;

/** One RMPOPT instruction by function and result (model §4). */
public enum RmpoptOutcome {
    /** VERIFY_AND_REPORT_STATUS with CF=1: the region is (now) optimized on the core, a win. */
    VERIFY_WON,
    /** VERIFY_AND_REPORT_STATUS with CF=0: the region holds an assigned page, or is outside the window. */
    VERIFY_FAILED,
    /** VERIFY_AND_REPORT_STATUS raised #UD: the core's RMPOPT_BASE is not enabled. */
    VERIFY_UD,
    /** REPORT_STATUS with CF=1. */
    REPORT_SET,
    /** REPORT_STATUS with CF=0. */
    REPORT_CLEAR,
    /** REPORT_STATUS raised #UD. */
    REPORT_UD;

    /** The outcome of {@code function} completing with {@code result}. */
    public static RmpoptOutcome of(RmpoptFunction function, RmpoptResult result) {
        boolean verify = function == RmpoptFunction.VERIFY_AND_REPORT_STATUS;
        if (result instanceof RmpoptResult.InvalidOpcode) {
            return verify ? VERIFY_UD : REPORT_UD;
        }
        if (result.carry()) {
            return verify ? VERIFY_WON : REPORT_SET;
        }
        return verify ? VERIFY_FAILED : REPORT_CLEAR;
    }

    /** Whether this is a VERIFY_AND_REPORT_STATUS outcome. */
    public boolean isVerify() {
        return this == VERIFY_WON || this == VERIFY_FAILED || this == VERIFY_UD;
    }
}
