package dev.rmpopt.tck;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * How much the kit explores and from which seed, read from system properties or the environment:
 * {@code rmpopt.tck.seed} / {@code RMPOPT_TCK_SEED} replays one trial (the seed a failure prints),
 * {@code rmpopt.tck.depth} / {@code RMPOPT_TCK_DEPTH} multiplies the default number of trials
 * (the {@code tck-deep} Maven profile sets it to 20).
 *
 * @param seed  the one trial seed to replay, if any
 * @param depth the multiplier of the default budget, at least 1
 */
record TckSettings(OptionalLong seed, int depth) {

    /** Property and variable names. */
    static final String SEED_PROPERTY = "rmpopt.tck.seed";
    static final String SEED_ENV = "RMPOPT_TCK_SEED";
    static final String DEPTH_PROPERTY = "rmpopt.tck.depth";
    static final String DEPTH_ENV = "RMPOPT_TCK_DEPTH";

    /** Sequential trials per exploration at depth 1: tuned so one backend's default run stays near 15 s on 2 cores. */
    static final int SEQUENTIAL_TRIALS = 1000;
    /** Concurrent trials at depth 1. */
    static final int CONCURRENT_TRIALS = 10;

    /** Rejects a depth below 1. */
    TckSettings {
        if (depth < 1) {
            throw new IllegalArgumentException(DEPTH_PROPERTY + " must be at least 1, not " + depth);
        }
    }

    /** The settings of this JVM. */
    static TckSettings fromEnvironment() {
        String seed = firstOf(System.getProperty(SEED_PROPERTY), System.getenv(SEED_ENV));
        String depth = firstOf(System.getProperty(DEPTH_PROPERTY), System.getenv(DEPTH_ENV));
        return new TckSettings(seed == null ? OptionalLong.empty() : OptionalLong.of(parseSeed(seed)),
                depth == null ? 1 : Integer.parseInt(depth.trim()));
    }

    private static String firstOf(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }

    /** A seed as printed ({@code 0x...}, unsigned hexadecimal) or as a decimal long. */
    static long parseSeed(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    }

    /** A seed as printed. */
    static String formatSeed(long seed) {
        return "0x" + Long.toHexString(seed);
    }

    /** The trial seeds of an exploration named {@code name}: the fixed seed alone, or {@code trials} fresh ones. */
    long[] trialSeeds(String name, int trials) {
        if (seed.isPresent()) {
            return new long[] {seed.getAsLong()};
        }
        long base = mix(System.nanoTime() ^ name.hashCode() ^ Thread.currentThread().getId());
        long[] out = new long[trials * depth];
        for (int i = 0; i < out.length; i++) {
            out[i] = mix(base + i * 0x9E3779B97F4A7C15L);
        }
        return out;
    }

    /** SplitMix64's finalizer: spreads consecutive inputs over all 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
