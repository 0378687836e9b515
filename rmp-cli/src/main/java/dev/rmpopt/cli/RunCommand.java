package dev.rmpopt.cli;

import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.experiments.scenario.ScenarioException;
import dev.rmpopt.experiments.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs a scenario file (YAML or JSON, schema 1: rmp-experiments/README.md): every (placement,
 * policy) cell once per seed, in parallel, then writes each run's directory, the experiment's
 * index.html and its summaries, and prints the summary.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a scenario file (YAML or JSON): every policy x placement x seed, then index.html and the summary.",
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:success",
            "1:a run failed inside the model (a bug)",
            "2:usage error (unknown option, a value of the wrong type)",
            "3:input error (a scenario field, a trace row): nothing run, nothing written",
            "4:I/O error (the output directory cannot be written)",
            "130:interrupted: complete runs and INCOMPLETE.json are left, or nothing"})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The scenario file, for example scenarios/default.yaml.")
    Path file;

    @Option(names = "--seed", split = ",", description = "Run these seeds instead of the scenario's.")
    List<Long> seeds;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (output.jobs < 1) {
            err.println("rmpopt: --jobs: must be >= 1, was " + output.jobs);
            return ExitCodes.INPUT;
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        if (seeds != null) {
            overrides.put("seeds", seeds);
            names.put("seeds", "--seed");
            for (int i = 0; i < seeds.size(); i++) {
                names.put("seeds[" + i + "]", "--seed");
            }
        }
        output.overrides(overrides, names);
        Scenario scenario;
        try {
            scenario = ScenarioLoader.load(file, overrides, names);
        } catch (ScenarioException e) {
            err.println("rmpopt: " + e.getMessage());
            return ExitCodes.INPUT;
        }
        return ExperimentRunner.run(scenario, output.resolve(scenario), out, err);
    }
}
