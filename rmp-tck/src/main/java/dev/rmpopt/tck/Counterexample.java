package dev.rmpopt.tck;

import java.util.List;

/**
 * A shrunk failing sequence, ready to print: the rule, the seed that replays the original trial,
 * the host and options, the minimal steps with what the backend returned, and what went wrong.
 *
 * @param violation      the rule broken and how, as seen in the minimal replay
 * @param scenario       host, options and seed
 * @param steps          the minimal steps, the violating one last
 * @param results        what the backend returned for each of them
 * @param originalLength steps in the trial before shrinking
 */
record Counterexample(Violation violation, Scenario scenario, List<Step> steps, List<Observation> results, int originalLength) {

    /** The report shown in the test failure. */
    String report() {
        StringBuilder sb = new StringBuilder();
        Rule rule = violation.rule();
        sb.append(Counterexample.header(rule));
        String seed = TckSettings.formatSeed(scenario.seed());
        sb.append("  seed: ").append(seed).append("  (replay: -D").append(TckSettings.SEED_PROPERTY).append('=').append(seed)
                .append(" or ").append(TckSettings.SEED_ENV).append('=').append(seed).append(")\n");
        sb.append("  ").append(scenario.describe()).append('\n');
        sb.append("  minimal steps (").append(steps.size()).append(" of ").append(originalLength).append("):\n");
        for (int i = 0; i < steps.size(); i++) {
            sb.append(String.format("  %3d. %s -> %s%n", i + 1, steps.get(i).describe(),
                    i < results.size() ? results.get(i) : "(not run)"));
        }
        sb.append("  then: ").append(violation.message()).append('\n');
        sb.append("  if this fails, check: ").append(rule.ifFails());
        return sb.toString();
    }

    /** The first lines of every failure report of {@code rule}: its name, level, display name and statement. */
    static String header(Rule rule) {
        return rule.methodName() + " (" + rule.level() + ") violated: " + rule.displayName() + "\n"
                + "  rule: " + rule.statement() + "\n";
    }
}
