package dev.rmpopt.kernel;

import dev.rmpopt.api.PhysRange;
import java.util.Objects;
import java.util.Optional;

/**
 * What the kernel's RMPOPT setup did (model §7.1), or, with {@code skippedByGuard}, the setup still
 * in force when {@code snp_setup_rmpopt}'s guard skipped a new one (model §7.5).
 *
 * @param passRange         the range every pass covers
 * @param cpus              the CPUs whose RMPOPT_BASE was programmed (one per core)
 * @param unoptimizedAbove  where the 2 TiB cap cut the range, if it did: the kernel logs
 *                          "RMPOPT coverage limited to 2TB; memory above 0x... not optimized"
 * @param bootPass          the boot pass, when setup ran it at once (up to v7); from v8 it is
 *                          delayed work that runs when the clock next moves, and is empty here
 * @param skippedByGuard    the workqueue still existed (SNP_INIT after a legacy shutdown): nothing
 *                          was programmed and no boot pass runs; the fields above are the earlier setup's
 */
public record SetupResult(PhysRange passRange, int cpus, Optional<Long> unoptimizedAbove, Optional<PassRecord> bootPass,
                          boolean skippedByGuard) {

    /** Rejects missing parts. */
    public SetupResult {
        Objects.requireNonNull(passRange, "passRange");
        Objects.requireNonNull(unoptimizedAbove, "unoptimizedAbove");
        Objects.requireNonNull(bootPass, "bootPass");
    }

    /** A setup that ran, with no boot pass yet. */
    SetupResult(PhysRange passRange, int cpus, Optional<Long> unoptimizedAbove) {
        this(passRange, cpus, unoptimizedAbove, Optional.empty(), false);
    }

    /** This result with {@code pass} as its boot pass. */
    SetupResult withBootPass(PassRecord pass) {
        return new SetupResult(passRange, cpus, unoptimizedAbove, Optional.of(pass), skippedByGuard);
    }

    /** This setup as the guard reports it: still in force, nothing done now, no boot pass. */
    SetupResult skipped() {
        return new SetupResult(passRange, cpus, unoptimizedAbove, Optional.empty(), true);
    }
}
