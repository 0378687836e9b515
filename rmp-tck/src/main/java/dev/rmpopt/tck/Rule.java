package dev.rmpopt.tck;

import org.junit.jupiter.api.DisplayName;

/**
 * The rules the kit checks, each named after the model section it enforces. The kit's test methods
 * carry the same names, so a report line names the rule that broke; each rule's one-sentence
 * {@linkplain #displayName() display name} is the {@link DisplayName} of its test method, and its
 * {@linkplain #ifFails() hint} says where to look first, as the Reactive Streams TCK's rules do.
 */
enum Rule {
    /** model §6 I1. */
    I1(RuleLevel.REQUIRED, "required_I1_bitImpliesRegionHoldsNoAssignedPage",
            "model §6 I1: for every core c and region r, bit(c, r) implies that r holds no assigned entry",
            "VERIFY's scan (every 4K and 2M entry of the region, the last page included; a region only partly "
                    + "inside RMP coverage never verifies), and any cache of clean regions: it must forget a region "
                    + "whenever a page of it becomes assigned, on every path (RMPUPDATE, and SNP_INIT's RMP and firmware pages)"),
    /** model §6 I2. */
    I2(RuleLevel.REQUIRED, "required_I2_skippingNeverChangesAWriteOutcome",
            "model §6 I2: every host-side write is allowed or faulted exactly as a full RMP check decides",
            "the write check: a 2M or 1G mapping checks all 512 pages of its 2M range, a set bit may skip only a "
                    + "region with no assigned page, and the bit tested is the writing CPU's table's"),
    /** model §6 I3. */
    I3(RuleLevel.REQUIRED, "required_I3_assigningRmpupdateClearsTheRegionOnEveryCore",
            "model §6 I3: once an RMPUPDATE that assigns a page of r has returned, REPORT_STATUS gives CF=0 for r on every core",
            "RMPUPDATE's clear of the region on EVERY table before it returns: every word of a multi-word table "
                    + "mask (cores 64 and up, the 33rd table of a 32-bit word), not only the calling core's"),
    /** model §6 I4. */
    I4(RuleLevel.REQUIRED, "required_I4_verifySetsTheBitOfTheVerifyingCoreOnly",
            "model §6 I4: VERIFY of a clean region in the window gives CF=1, and REPORT_STATUS then gives CF=1 on that core "
                    + "(and its SMT sibling) and on no core that did not verify it",
            "the table index VERIFY sets (core vs logical CPU, SMT siblings, word and bit of the core's mask), the "
                    + "window test [base, base + window), and that bits of an old window do not survive WRMSR"),
    /** model §6 I5. */
    I5(RuleLevel.REQUIRED, "required_I5_snpInitLeavesEveryBitClear",
            "model §6 I5: SNP_INIT leaves every bit clear, the first SNP_INIT and every one after an SNP_SHUTDOWN",
            "SNP_INIT's zeroing of every table, on every SNP_INIT (not only at boot): bits VERIFY set while SNP was "
                    + "off (SnpEn set at power-on, or kept by the legacy shutdown) must not survive it"),
    /** model §6 I6. */
    I6(RuleLevel.REQUIRED, "required_I6_entriesStayConsistent",
            "model §6 I6: validated implies assigned; guest states have ASID > 0; a 2M entry and its 4K pages agree",
            "how entries are stored and split: PSMASH, a 4K RMPUPDATE inside an unassigned 2M entry, SNP_INIT's "
                    + "reserved pages inside a 2M entry, and the page index arithmetic (long, not int)"),
    /** model §4, with the project's [M] rules. */
    S4_RESULTS(RuleLevel.REQUIRED, "required_S4_instructionsReturnTheSpecifiedResults",
            "model §4: RMPUPDATE, PSMASH, RMPREAD, PVALIDATE, the firmware commands, WRMSR and RMPOPT return what the model "
                    + "and its [M] rules say, and RMPREAD shows the specified entries",
            "the order of the checks in the failing operation (permission, input, immutable, overlap), the [M] rules "
                    + "in ReverseMapTable's and SecureProcessor's Javadoc, and page indices past 2^31 (RAM above 8 TiB)"),
    /** model §5. */
    S5_ACCESSES(RuleLevel.REQUIRED, "required_S5_accessesAreCheckedAsSpecified",
            "model §5: reads by the host side are unchecked, SNP guests' accesses are always checked, faults carry the "
                    + "specified error codes",
            "the accessor and kind dispatch of the access path, UNCHECKED before SNP_INIT, and the #PF / NPF error bits"),
    /** The SPI's listener contract (RmpEventListener). */
    SPI_EVENTS(RuleLevel.REQUIRED, "required_SPI_listenerHearsEveryEventAsSpecified",
            "RmpEventListener: every operation reports its own event once with its arguments and result, clears "
                    + "report their region and table count, SNP_INIT reports every table cleared, a shutdown only its command",
            "the listener calls of the failing operation: the onOptimizationCleared before RMPUPDATE's or PSMASH's "
                    + "own event with the number of tables that held the bit, onAllTablesCleared at SNP_INIT (and "
                    + "at no shutdown), and that no event is lost or doubled on any path"),
    /** The SPI's contract for arguments outside it. */
    OUT_OF_CONTRACT(RuleLevel.REQUIRED, "required_SPI_outOfContractArgumentsAreRefusedWithoutEffect",
            "SnpMachine: a null argument raises NullPointerException, a negative address or a missing CPU "
                    + "IllegalArgumentException (an access to non-RAM too), before anything changes and with no event",
            "the argument checks at the very top of the failing method: Objects.requireNonNull of every reference "
                    + "argument first, then the CPU and address checks, all before any state or listener is touched"),
    /** model §6 under concurrency. */
    CONCURRENT(RuleLevel.REQUIRED, "required_I1_I2_concurrentCpusNeverSkipACheckOnAssignedMemory",
            "model §6 I1-I5 under concurrent operations on many CPUs: no write is skipped while its region holds an "
                    + "assigned page, VERIFY and REPORT agree with every RMPUPDATE, PSMASH, WRMSR, firmware command, "
                    + "SNP_SHUTDOWN and SNP_INIT that returned before they began, and quiescent states are consistent",
            "the publication order of RMPUPDATE (clear every table, then publish the entry) against a VERIFY that "
                    + "read the region before; what a WRMSR, SNP_SHUTDOWN or SNP_INIT does to bits VERIFY sets "
                    + "meanwhile; and locking around the firmware commands"),
    /** model §6.1: operations interleaved at the backend's own race windows. */
    INTERLEAVING(RuleLevel.REQUIRED, "required_I1_I2_interleavedOperationsTakeEffectAtOneInstant",
            "model §6.1: an operation parked inside its read window or critical section while another CPU runs a whole "
                    + "operation still takes effect at one instant: results, events and the state afterwards are those of "
                    + "one order of the two",
            "what the parked operation read before its interleaving point and whether it validates it afterwards "
                    + "(a sequence or version that a writer leaves as it found it validates a stale read), whether a "
                    + "compare-and-set fails when a clear came between its read and its write, and what a writer "
                    + "publishes before it releases its lock"),
    /** model §4: bits are cleared only by the listed causes. */
    EXACT_BITS(RuleLevel.OPTIONAL, "optional_S4_bitsClearOnlyForTheSpecifiedCauses",
            "model §4: a bit stays set until an RMPUPDATE or PSMASH of its region, a WRMSR of the core's "
                    + "RMPOPT_BASE or SNP_INIT clears it, and neither shutdown does (clearing more is safe, but loses optimization)",
            "clears that reach too far: other regions, other tables, or WRMSR resetting more than its own core");

    private final RuleLevel level;
    private final String methodName;
    private final String statement;
    private final String ifFails;

    Rule(RuleLevel level, String methodName, String statement, String ifFails) {
        this.level = level;
        this.methodName = methodName;
        this.statement = statement;
        this.ifFails = ifFails;
    }

    RuleLevel level() {
        return level;
    }

    /** The kit's test method that reports this rule. */
    String methodName() {
        return methodName;
    }

    /** What the rule says, citing the model document. */
    String statement() {
        return statement;
    }

    /** Where to look first when this rule fails. */
    String ifFails() {
        return ifFails;
    }

    /** The one sentence the kit's test method shows as its {@link DisplayName}. */
    String displayName() {
        try {
            DisplayName d = RmpMachineCompatibilityKit.class.getMethod(methodName).getAnnotation(DisplayName.class);
            return d == null ? methodName : d.value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the kit has no method " + methodName, e);
        }
    }

    /** Whether the per-step checker enforces this rule (the concurrent rule has its own runner). */
    boolean checkedPerStep() {
        return this != CONCURRENT && this != INTERLEAVING;
    }

    /** The rule whose test method is {@code name}, or null. */
    static Rule ofMethod(String name) {
        for (Rule r : values()) {
            if (r.methodName.equals(name)) {
                return r;
            }
        }
        return null;
    }
}
