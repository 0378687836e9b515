package dev.rmpopt.kvm;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.RmpFault;

/** Writes the hypervisor made or saw, by kind and outcome: skipped, checked, unchecked or faulted. */
public final class WriteStats {

    private final long[][] counts = new long[WriteKind.values().length][4];

    void record(WriteKind kind, AccessOutcome outcome) {
        counts[kind.ordinal()][slot(outcome)]++;
    }

    private static int slot(AccessOutcome outcome) {
        if (outcome instanceof AccessOutcome.Skipped) {
            return 0;
        }
        if (outcome instanceof AccessOutcome.Checked) {
            return 1;
        }
        if (outcome instanceof AccessOutcome.Unchecked) {
            return 2;
        }
        return 3;
    }

    /** Writes of {@code kind} that skipped the RMP check. */
    public long skipped(WriteKind kind) {
        return counts[kind.ordinal()][0];
    }

    /** Writes of {@code kind} the RMP checked and allowed. */
    public long checked(WriteKind kind) {
        return counts[kind.ordinal()][1];
    }

    /** Writes of {@code kind} not subject to a check (RMP checks off). */
    public long unchecked(WriteKind kind) {
        return counts[kind.ordinal()][2];
    }

    /** Writes of {@code kind} that raised an RMP fault. */
    public long faulted(WriteKind kind) {
        return counts[kind.ordinal()][3];
    }

    /** Every write of {@code kind}. */
    public long total(WriteKind kind) {
        long sum = 0;
        for (long c : counts[kind.ordinal()]) {
            sum += c;
        }
        return sum;
    }

    /** Host-side writes (everything but SNP guests' own) that skipped the check. */
    public long hostSideSkipped() {
        return skipped(WriteKind.DEVICE_EMULATION) + skipped(WriteKind.PAGE_ZEROING) + skipped(WriteKind.LEGACY_GUEST);
    }

    /** Host-side writes, skipped or not. */
    public long hostSideTotal() {
        return total(WriteKind.DEVICE_EMULATION) + total(WriteKind.PAGE_ZEROING) + total(WriteKind.LEGACY_GUEST);
    }

    static boolean isFault(AccessOutcome outcome) {
        return outcome instanceof RmpFault;
    }
}
