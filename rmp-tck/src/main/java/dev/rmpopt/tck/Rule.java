package dev.rmpopt.tck;

/**
 * The rules the kit checks, each named after the SPEC section it enforces. The kit's test methods
 * carry the same names, so a report line names the rule that broke.
 */
enum Rule {
    /** SPEC 6 I1. */
    I1(RuleLevel.REQUIRED, "required_I1_bitImpliesRegionHoldsNoAssignedPage",
            "SPEC 6 I1: for every core c and region r, bit(c, r) implies that r holds no assigned entry"),
    /** SPEC 6 I2. */
    I2(RuleLevel.REQUIRED, "required_I2_skippingNeverChangesAWriteOutcome",
            "SPEC 6 I2: every host-side write is allowed or faulted exactly as a full RMP check decides"),
    /** SPEC 6 I3. */
    I3(RuleLevel.REQUIRED, "required_I3_assigningRmpupdateClearsTheRegionOnEveryCore",
            "SPEC 6 I3: once an RMPUPDATE that assigns a page of r has returned, REPORT_STATUS gives CF=0 for r on every core"),
    /** SPEC 6 I4. */
    I4(RuleLevel.REQUIRED, "required_I4_verifySetsTheBitOfTheVerifyingCoreOnly",
            "SPEC 6 I4: VERIFY of a clean region in the window gives CF=1, and REPORT_STATUS then gives CF=1 on that core "
                    + "(and its SMT sibling) and on no core that did not verify it"),
    /** SPEC 6 I5. */
    I5(RuleLevel.REQUIRED, "required_I5_snpInitLeavesEveryBitClear",
            "SPEC 6 I5: SNP_INIT leaves every bit clear (observed through REPORT_STATUS and the onAllTablesCleared event)"),
    /** SPEC 6 I6. */
    I6(RuleLevel.REQUIRED, "required_I6_entriesStayConsistent",
            "SPEC 6 I6: validated implies assigned; guest states have ASID > 0; a 2M entry and its 4K pages agree"),
    /** SPEC 4, with the project's [M] rules. */
    S4_RESULTS(RuleLevel.REQUIRED, "required_S4_instructionsReturnTheSpecifiedResults",
            "SPEC 4: RMPUPDATE, PSMASH, RMPREAD, PVALIDATE, the firmware commands, WRMSR and RMPOPT return what the SPEC "
                    + "and its [M] rules say, and RMPREAD shows the specified entries"),
    /** SPEC 5. */
    S5_ACCESSES(RuleLevel.REQUIRED, "required_S5_accessesAreCheckedAsSpecified",
            "SPEC 5: reads by the host side are unchecked, SNP guests' accesses are always checked, faults carry the "
                    + "specified error codes"),
    /** The SPI's listener contract (RmpEventListener). */
    SPI_EVENTS(RuleLevel.REQUIRED, "required_SPI_listenerHearsEveryOperation",
            "RmpEventListener: every operation is reported once, with the result it returned, before it returns"),
    /** SPEC 6 under concurrency. */
    CONCURRENT(RuleLevel.REQUIRED, "required_I1_I2_concurrentCpusNeverSkipACheckOnAssignedMemory",
            "SPEC 6 I1 and I2 under concurrent operations on many CPUs: no write is skipped while its region holds an "
                    + "assigned page, and at every quiescent point no bit covers an assigned page"),
    /** SPEC 4: bits are cleared only by the listed causes. */
    EXACT_BITS(RuleLevel.OPTIONAL, "optional_S4_bitsClearOnlyForTheSpecifiedCauses",
            "SPEC 4: a bit stays set until an RMPUPDATE or PSMASH of its region, a WRMSR of the core's "
                    + "RMPOPT_BASE, SNP_INIT or SNP_SHUTDOWN clears it (clearing more is safe, but loses optimization)");

    private final RuleLevel level;
    private final String methodName;
    private final String statement;

    Rule(RuleLevel level, String methodName, String statement) {
        this.level = level;
        this.methodName = methodName;
        this.statement = statement;
    }

    RuleLevel level() {
        return level;
    }

    /** The kit's test method that reports this rule. */
    String methodName() {
        return methodName;
    }

    /** What the rule says, citing the SPEC. */
    String statement() {
        return statement;
    }

    /** Whether the per-step checker enforces this rule (the concurrent rule has its own runner). */
    boolean checkedPerStep() {
        return this != CONCURRENT;
    }
}
