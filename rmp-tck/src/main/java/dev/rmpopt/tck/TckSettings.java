package dev.rmpopt.tck;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * How much the kit explores and from which seeds, read from system properties or the environment:
 * <ul>
 *   <li>{@code rmpopt.tck.seeds} / {@code RMPOPT_TCK_SEEDS}: the seed set. By default the kit runs
 *       a fixed set derived from {@link #DEFAULT_SEED_SET} (printed with every summary), so that a
 *       CI run is reproducible; {@code fresh} draws a new set from the clock (the {@code tck-deep}
 *       Maven profile does) and prints it, and a number ({@code 0x...}) names a set, so that
 *       {@code -Drmpopt.tck.seeds=0x...} replays a fresh run whole.</li>
 *   <li>{@code rmpopt.tck.seed} / {@code RMPOPT_TCK_SEED}: replays one trial, the seed a failure
 *       prints.</li>
 *   <li>{@code rmpopt.tck.depth} / {@code RMPOPT_TCK_DEPTH}: multiplies the default budget
 *       (trials and the time caps; the {@code tck-deep} profile sets 20).</li>
 *   <li>{@code rmpopt.tck.budget} / {@code RMPOPT_TCK_BUDGET}: a fraction (0, 1] of the default
 *       budget, for runs that repeat the kit many times (mutation testing: the {@code pit}
 *       profile sets 0.15); the minimums the kit requires of itself shrink with it. The concurrent
 *       exploration keeps its whole budget: it costs under a second, and the races it aims at are
 *       rare enough per trial that fewer trials would rarely meet them.</li>
 * </ul>
 *
 * @param seed    the one trial seed to replay, if any
 * @param depth   the multiplier of the default budget, at least 1
 * @param seedSet the seed set every exploration's trial seeds derive from
 * @param fresh   whether the set was drawn fresh for this run
 * @param budget  the fraction of the default budget, in (0, 1]
 */
record TckSettings(OptionalLong seed, int depth, long seedSet, boolean fresh, double budget) {

    /** Property and variable names. */
    static final String SEED_PROPERTY = "rmpopt.tck.seed";
    static final String SEED_ENV = "RMPOPT_TCK_SEED";
    static final String SEEDS_PROPERTY = "rmpopt.tck.seeds";
    static final String SEEDS_ENV = "RMPOPT_TCK_SEEDS";
    static final String DEPTH_PROPERTY = "rmpopt.tck.depth";
    static final String DEPTH_ENV = "RMPOPT_TCK_DEPTH";
    static final String BUDGET_PROPERTY = "rmpopt.tck.budget";
    static final String BUDGET_ENV = "RMPOPT_TCK_BUDGET";
    /** The value of {@link #SEEDS_PROPERTY} that asks for fresh seeds. */
    static final String FRESH = "fresh";

    /** The base of the default fixed seed set. */
    static final long DEFAULT_SEED_SET = 0x5eed_0f_13_2026L;

    /** The fresh set of this JVM, drawn once so that every exploration of a run prints the same one. */
    private static final long FRESH_SET = mix(System.nanoTime() ^ System.identityHashCode(TckSettings.class));

    /** Sequential trials of the default options' exploration at depth 1. */
    static final int SEQUENTIAL_TRIALS = 1000;
    /** Sequential trials of each optional option set's exploration at depth 1 (a declared capability must hold). */
    static final int OPTIONAL_TRIALS = 300;
    /** Concurrent trials at depth 1. */
    static final int CONCURRENT_TRIALS = 10;
    /** Trials of the interleaving exploration at depth 1 (each of {@link InterleavingExploration#PAIRS} pairs). */
    static final int INTERLEAVING_TRIALS = 12;
    /** Wall-clock cap of one sequential trial, in milliseconds: one slow backend cannot stretch a run. */
    static final long TRIAL_MILLIS = 2_000;
    /** CPU-time cap of one exploration at depth 1, in milliseconds (times the depth). */
    static final long EXPLORATION_MILLIS = 60_000;
    /** Wall-clock cap of one exploration at depth 1, in milliseconds (times the depth): for backends slow without the CPU. */
    static final long EXPLORATION_WALL_MILLIS = 150_000;

    /** Rejects a depth below 1 and a budget outside (0, 1]. */
    TckSettings {
        if (depth < 1) {
            throw new IllegalArgumentException(DEPTH_PROPERTY + " must be at least 1, not " + depth);
        }
        if (!(budget > 0 && budget <= 1)) {
            throw new IllegalArgumentException(BUDGET_PROPERTY + " must be in (0, 1], not " + budget);
        }
    }

    /** The default settings: the fixed seed set at depth {@code depth}. */
    TckSettings(OptionalLong seed, int depth) {
        this(seed, depth, DEFAULT_SEED_SET, false, 1.0);
    }

    /** These settings with the whole budget (the concurrent exploration's; see the class comment). */
    TckSettings fullBudget() {
        return new TckSettings(seed, depth, seedSet, fresh, 1.0);
    }

    /** Settings with the whole default budget. */
    TckSettings(OptionalLong seed, int depth, long seedSet, boolean fresh) {
        this(seed, depth, seedSet, fresh, 1.0);
    }

    /** The settings of this JVM. */
    static TckSettings fromEnvironment() {
        String seed = firstOf(System.getProperty(SEED_PROPERTY), System.getenv(SEED_ENV));
        String seeds = firstOf(System.getProperty(SEEDS_PROPERTY), System.getenv(SEEDS_ENV));
        String depth = firstOf(System.getProperty(DEPTH_PROPERTY), System.getenv(DEPTH_ENV));
        String budget = firstOf(System.getProperty(BUDGET_PROPERTY), System.getenv(BUDGET_ENV));
        boolean fresh = seeds != null && seeds.trim().equalsIgnoreCase(FRESH);
        long set = seeds == null || seeds.trim().equalsIgnoreCase("fixed") ? DEFAULT_SEED_SET
                : fresh ? FRESH_SET : parseSeed(seeds);
        return new TckSettings(seed == null ? OptionalLong.empty() : OptionalLong.of(parseSeed(seed)),
                depth == null ? 1 : Integer.parseInt(depth.trim()), set, fresh, budget == null ? 1.0 : Double.parseDouble(budget.trim()));
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

    /** Whether the kit replays one seed rather than exploring. */
    boolean replaying() {
        return seed.isPresent();
    }

    /** The base seed of the exploration named {@code name}: a function of the seed set and the name. */
    long baseSeed(String name) {
        return mix(seedSet ^ mix(name.hashCode()));
    }

    /** The trial seeds of an exploration with base {@code base}: the fixed seed alone, or {@code trials} times the depth. */
    long[] trialSeeds(long base, int trials) {
        if (seed.isPresent()) {
            return new long[] {seed.getAsLong()};
        }
        long[] out = new long[(int) Math.max(1, Math.ceil(trials * depth * budget))];
        for (int i = 0; i < out.length; i++) {
            out[i] = mix(base + i * 0x9E3779B97F4A7C15L);
        }
        return out;
    }

    /** The trial seeds of the exploration named {@code name} (see {@link #baseSeed} and {@link #trialSeeds(long, int)}). */
    long[] trialSeeds(String name, int trials) {
        return trialSeeds(baseSeed(name), trials);
    }

    /** How the seeds were chosen, for the printed summary. */
    String describeSeeds() {
        if (seed.isPresent()) {
            return "replaying seed " + formatSeed(seed.getAsLong());
        }
        return (fresh ? "fresh seed set " : seedSet == DEFAULT_SEED_SET ? "fixed seed set " : "seed set ") + formatSeed(seedSet)
                + (fresh ? " (replay the run: -D" + SEEDS_PROPERTY + "=" + formatSeed(seedSet) + ")"
                        : seedSet == DEFAULT_SEED_SET ? " (fresh ones: -D" + SEEDS_PROPERTY + "=" + FRESH + ")" : "");
    }

    /** The CPU-time cap of one exploration, in nanoseconds. */
    long explorationNanos() {
        return EXPLORATION_MILLIS * depth * 1_000_000L;
    }

    /** The wall-clock cap of one exploration, in nanoseconds. */
    long explorationWallNanos() {
        return EXPLORATION_WALL_MILLIS * depth * 1_000_000L;
    }

    /** SplitMix64's finalizer: spreads consecutive inputs over all 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
