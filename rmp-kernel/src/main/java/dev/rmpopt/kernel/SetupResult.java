package dev.rmpopt.kernel;

import dev.rmpopt.api.PhysRange;
import java.util.Optional;

/**
 * What {@link RmpoptDriver#setup()} did (SPEC 7).
 *
 * @param passRange         the range every pass covers
 * @param cpus              the CPUs whose RMPOPT_BASE was programmed (one per core)
 * @param unoptimizedAbove  where the 2 TiB cap cut the range, if it did: the kernel logs
 *                          "RMPOPT coverage limited to 2TB; memory above 0x... not optimized"
 * @param firstPass         the pass setup ran at once
 */
public record SetupResult(PhysRange passRange, int cpus, Optional<Long> unoptimizedAbove, PassRecord firstPass) {
}
