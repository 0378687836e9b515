package dev.rmpopt.experiments.scenario;

import java.util.List;

/**
 * A scenario that cannot run: every problem found, each naming the field's path (such as
 * {@code workload.lifetime.mean: must be > 0, was -3}) or the trace's file, line and column.
 */
public final class ScenarioException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** The problems of {@code source}. */
    public ScenarioException(String source, List<String> problems) {
        super(source + ": " + (problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
