package dev.rmpopt.tck;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of the situations an exploration reached (bits set by VERIFY, assigning RMPUPDATEs of a
 * region that had a bit, skipped writes...). The kit's own tests use them to show that the random
 * sequences reach the states where each rule can fail: a property that never meets its premise
 * cannot fail, and would pass for nothing.
 */
final class Coverage {

    /** VERIFY returned CF=1. */
    static final String VERIFY_SET_BIT = "VERIFY set a bit";
    /** An assigning RMPUPDATE succeeded on a region that had a bit on some table. */
    static final String ASSIGN_OVER_BIT = "assigning RMPUPDATE of a region holding a bit";
    /** A host-side write was SKIPPED. */
    static final String SKIPPED_WRITE = "skipped write";
    /** A host-side write was faulted by the RMP. */
    static final String FAULTED_WRITE = "faulted host-side write";
    /** A successful 2M RMPUPDATE. */
    static final String RMPUPDATE_2M = "2M RMPUPDATE";
    /** A successful PSMASH. */
    static final String PSMASH = "PSMASH";
    /** A successful SNP_LAUNCH_UPDATE. */
    static final String LAUNCH_UPDATE = "SNP_LAUNCH_UPDATE";
    /** A successful SNP_PAGE_RECLAIM. */
    static final String PAGE_RECLAIM = "SNP_PAGE_RECLAIM";
    /** A successful SNP_INIT after an SNP_SHUTDOWN. */
    static final String REINIT = "SNP_INIT after SNP_SHUTDOWN";
    /** A successful SNP_INIT after X86_SNP_SHUTDOWN (SnpEn set again). */
    static final String REINIT_AFTER_X86 = "SNP_INIT after X86_SNP_SHUTDOWN";
    /** A successful SNP_INIT after the legacy SNP_SHUTDOWN_EX (SnpEn kept, bits zeroed). */
    static final String REINIT_AFTER_LEGACY = "SNP_INIT after the legacy SNP_SHUTDOWN_EX";
    /** VERIFY (completed, not #UD) before the first SNP_INIT. */
    static final String VERIFY_BEFORE_FIRST_INIT = "VERIFY before the first SNP_INIT";
    /** REPORT_STATUS (completed) before the first SNP_INIT. */
    static final String REPORT_BEFORE_FIRST_INIT = "REPORT before the first SNP_INIT";
    /** VERIFY (completed) between an SNP_SHUTDOWN and the next SNP_INIT. */
    static final String VERIFY_BETWEEN_SHUTDOWN_AND_INIT = "VERIFY between SNP_SHUTDOWN and SNP_INIT";
    /** REPORT_STATUS (completed) between an SNP_SHUTDOWN and the next SNP_INIT. */
    static final String REPORT_BETWEEN_SHUTDOWN_AND_INIT = "REPORT between SNP_SHUTDOWN and SNP_INIT";
    /** VERIFY of a region whose RMP or firmware pages SNP_INIT assigned after a VERIFY found it clean. */
    static final String VERIFY_AFTER_INIT_ASSIGNED = "VERIFY of a region SNP_INIT assigned pages in, found clean before";
    /** VERIFY of a region holding a live guest's context page. */
    static final String VERIFY_CONTEXT_REGION = "VERIFY of a region holding a context page";
    /** A call the SPI refuses (null, negative address, missing CPU, non-RAM access). */
    static final String OUT_OF_CONTRACT = "out-of-contract call";
    /** A trial on a host with more than 64 cores. */
    static final String WIDE_HOST = "trial on a host of more than 64 cores";
    /** A trial on a host with RAM above 8 TiB (page indices past 2^31). */
    static final String HIGH_RAM_HOST = "trial on a host with RAM above 8 TiB";
    /** A trial on a host with several NUMA nodes per socket. */
    static final String MULTI_NODE_HOST = "trial on a host with several NUMA nodes per socket";
    /** A trial with the hardware's 2 TiB window. */
    static final String DEFAULT_WINDOW = "trial with the 2 TiB window";
    /** VERIFY refused a region whose only assigned page is its last page. */
    static final String VERIFY_REFUSED_LAST_RANGE = "VERIFY refused a region assigned only in its last page";
    /** VERIFY refused a region whose only assigned entries are 2M entries. */
    static final String VERIFY_REFUSED_2M_ONLY = "VERIFY refused a region assigned only through 2M entries";
    /** A 1G-mapped host-side write faulted because of another page of its 2M range. */
    static final String WRITE_1G_FAULT_ELSEWHERE = "1G-mapped write faulted by another page of its 2M range";
    /** VERIFY of the first region past a core's window. */
    static final String VERIFY_PAST_WINDOW = "VERIFY just past the window";
    /** An IPI round whose CPUs span more than one 64-bit word of the mask. */
    static final String ROUND_ACROSS_WORDS = "RMPOPT round over CPUs of several mask words";
    /** An IPI round of VERIFY that set bits. */
    static final String ROUND_SET_BITS = "RMPOPT VERIFY round that set bits";
    /** PVALIDATE raised a nested page fault: the page is not the guest's own. */
    static final String PVALIDATE_NPF = "PVALIDATE nested page fault";
    /** PVALIDATE raised a nested page fault with the size-mismatch bit: a 4K request in a 2M entry. */
    static final String PVALIDATE_NPF_SIZEM = "PVALIDATE nested page fault with SIZEM";
    /** PVALIDATE returned FAIL_SIZEMISMATCH: a 2M request over 4K entries. */
    static final String PVALIDATE_SIZEMISMATCH = "PVALIDATE FAIL_SIZEMISMATCH";
    /** An SNP guest's private access to its own unvalidated page raised #VC 0x404. */
    static final String GUEST_VC = "SNP guest #VC 0x404";
    /** An SNP guest's shared (C=0) write passed the hypervisor-owned check. */
    static final String GUEST_SHARED_WRITE_CHECKED = "SNP guest shared write checked";
    /** An SNP guest's shared (C=0) write faulted on an assigned page. */
    static final String GUEST_SHARED_WRITE_FAULTED = "SNP guest shared write faulted";
    /** An SNP guest's private access to its own mutable page faulted: wrong GPA, or a mapping larger than the entry. */
    static final String GUEST_PRIVATE_GPA_OR_SIZE_FAULT = "SNP guest private access faulted on GPA or size";
    /** Steps run. */
    static final String STEPS = "steps";

    /**
     * What the kit requires itself to reach in one default-budget exploration of the default options
     * (scaled down for the smaller optional explorations): the premises of the lifecycle, wide-host
     * and firmware-path failures. An exploration that falls short reports its rules as not
     * verified, never as passed. Each is about a quarter of what the default budget typically
     * reaches, so that fresh seed sets meet them too.
     */
    static final Map<String, Long> MINIMUMS = Map.ofEntries(
            Map.entry(VERIFY_SET_BIT, 250L), Map.entry(ASSIGN_OVER_BIT, 40L), Map.entry(SKIPPED_WRITE, 100L),
            Map.entry(FAULTED_WRITE, 300L), Map.entry(RMPUPDATE_2M, 400L), Map.entry(PSMASH, 100L),
            Map.entry(LAUNCH_UPDATE, 6L), Map.entry(PAGE_RECLAIM, 50L), Map.entry(VERIFY_REFUSED_LAST_RANGE, 3L),
            Map.entry(VERIFY_REFUSED_2M_ONLY, 20L), Map.entry(WRITE_1G_FAULT_ELSEWHERE, 40L), Map.entry(VERIFY_PAST_WINDOW, 80L),
            Map.entry(OUT_OF_CONTRACT, 400L), Map.entry(REINIT, 150L),
            Map.entry(REINIT_AFTER_X86, 50L), Map.entry(REINIT_AFTER_LEGACY, 50L),
            Map.entry(VERIFY_BEFORE_FIRST_INIT, 200L), Map.entry(REPORT_BEFORE_FIRST_INIT, 60L),
            Map.entry(VERIFY_BETWEEN_SHUTDOWN_AND_INIT, 250L), Map.entry(REPORT_BETWEEN_SHUTDOWN_AND_INIT, 80L),
            Map.entry(VERIFY_AFTER_INIT_ASSIGNED, 30L), Map.entry(VERIFY_CONTEXT_REGION, 15L),
            Map.entry(WIDE_HOST, 100L), Map.entry(HIGH_RAM_HOST, 80L), Map.entry(MULTI_NODE_HOST, 100L),
            Map.entry(DEFAULT_WINDOW, 100L), Map.entry(ROUND_ACROSS_WORDS, 120L), Map.entry(ROUND_SET_BITS, 70L), Map.entry(PVALIDATE_NPF, 500L), Map.entry(PVALIDATE_SIZEMISMATCH, 80L),
            Map.entry(PVALIDATE_NPF_SIZEM, 4L), Map.entry(GUEST_VC, 12L), Map.entry(GUEST_PRIVATE_GPA_OR_SIZE_FAULT, 5L),
            Map.entry(GUEST_SHARED_WRITE_CHECKED, 60L), Map.entry(GUEST_SHARED_WRITE_FAULTED, 12L));

    private final Map<String, Long> counts = new TreeMap<>();

    /**
     * The premises below their {@link #MINIMUMS} scaled by {@code fraction} (the exploration's share
     * of the default budget), as text, or null if every one is met.
     */
    synchronized String shortfalls(double fraction) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> m : new TreeMap<>(MINIMUMS).entrySet()) {
            long need = (long) Math.ceil(m.getValue() * fraction);
            long got = counts.getOrDefault(m.getKey(), 0L);
            if (got < need) {
                sb.append(sb.length() == 0 ? "" : "; ").append(m.getKey()).append(": ").append(got).append(" < ").append(need);
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    synchronized void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    synchronized long get(String what) {
        return counts.getOrDefault(what, 0L);
    }

    synchronized void addAll(Coverage other) {
        other.snapshot().forEach((k, v) -> counts.merge(k, v, Long::sum));
    }

    synchronized Map<String, Long> snapshot() {
        return new TreeMap<>(counts);
    }

    @Override
    public synchronized String toString() {
        return counts.toString();
    }
}
