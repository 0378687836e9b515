package dev.rmpopt.experiments.sweep;

/**
 * One run of an experiment: a policy (by its label) under a placement with a seed.
 *
 * @param policy    the policy's label
 * @param placement the placement's name
 * @param seed      the seed
 */
public record RunKey(String policy, String placement, long seed) {

    /** The (policy, placement) cell the run belongs to. */
    public Cell cell() {
        return new Cell(policy, placement);
    }

    /**
     * The run's directory name: {@code placement-policy}, with {@code -seedN} when the experiment
     * has several seeds; characters other than letters, digits, '.', '_' and '-' become '_'.
     */
    public String directory(boolean withSeed) {
        String name = placement + "-" + policy + (withSeed ? "-seed" + seed : "");
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * A (policy, placement) cell, run once per seed.
     *
     * @param policy    the policy's label
     * @param placement the placement's name
     */
    public record Cell(String policy, String placement) {
        /** {@code placement / policy}, for tables. */
        public String label() {
            return placement + " / " + policy;
        }
    }
}
