package dev.rmpopt.fleet;

import java.nio.file.Path;

/** Small fleets for the tests, as fleet files. */
final class Fleets {

    private Fleets() {
    }

    /** The seed every test fleet uses, printed by the tests that run one. */
    static final long SEED = 20261202;

    /**
     * Tens of small hosts (two shapes), five simulated minutes, a synthetic workload dense enough to
     * fill them, two schedulers.
     */
    static String small(Path out) {
        return """
                version: 1
                name: test-fleet
                seed: %d
                durationMinutes: 5
                sampleSeconds: 30
                hosts:
                  - {shape: wide, count: 8, memoryGib: 32, coresPerSocket: 4}
                  - {shape: narrow, count: 12, memoryGib: 16, coresPerSocket: 2}
                workload:
                  synthetic:
                    vmsPerHour: 1200
                    lifetimeMinutes: {distribution: exponential, mean: 2}
                    vmGib: {distribution: weighted, values: [1, 2, 4, 8], weights: [4, 3, 2, 1]}
                    snpFraction: 0.5
                guests: {deviceWritesPerSecond: 5, snpGuestWritesPerSecond: 5, legacyGuestWritesPerSecond: 5}
                schedulers: [snp-aware, first-fit]
                outputs: {dir: %s}
                """.formatted(SEED, out);
    }
}
