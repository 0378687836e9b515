package dev.rmpopt.api;

/** The RMPOPT function selected by RCX (model §4). */
public enum RmpoptFunction {
    /**
     * 0: verify that no RMP entry of the region is assigned; if so set this core's bit and report
     * CF=1, else CF=0.
     */
    VERIFY_AND_REPORT_STATUS(0),
    /** 1: report this core's bit in CF; changes nothing. */
    REPORT_STATUS(1);

    private final int code;

    RmpoptFunction(int code) {
        this.code = code;
    }

    /** The value in RCX. */
    public int code() {
        return code;
    }
}
