package dev.rmpopt.cli;

import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.experiments.scenario.ScenarioException;
import dev.rmpopt.experiments.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job, the default scenario ({@code scenarios/default.yaml}, built into the jar): boots a
 * host (SNP_INIT, the kernel's RMPOPT setup and boot pass, model §7.1), runs the same VM churn
 * under the v8-v10 policy and the targeted one for each frame placement, and prints coverage,
 * writes skipped, passes and their modelled cost side by side. Each option changes one field of
 * the default scenario; an option not given keeps the scenario's value.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the default scenario (scenarios/default.yaml): boot a host, churn VMs under the v8-v10 and the "
                + "targeted RMPOPT policies, scattered and packed, and report.",
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:success",
            "1:a run failed inside the model (a bug)",
            "2:usage error (unknown option, a value of the wrong type)",
            "3:input error (an option's value): nothing run, nothing written",
            "4:I/O error (the output directory cannot be written)",
            "130:interrupted: complete runs and INCOMPLETE.json are left, or nothing"})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", description = "RMP backend by name (default: scalable).")
    String backend;

    @Option(names = "--sockets", description = "Sockets (default: 2).")
    Integer sockets;

    @Option(names = "--cores-per-socket", description = "Physical cores per socket (default: 256).")
    Integer coresPerSocket;

    @Option(names = "--threads-per-core", description = "SMT threads per core, 1 or 2 (default: 2).")
    Integer threadsPerCore;

    @Option(names = "--numa-nodes-per-socket", description = "NUMA nodes per socket, NPS: 1, 2 or 4, dividing the cores (default: 1).")
    Integer numaNodesPerSocket;

    @Option(names = "--memory-gib", description = "Top of RAM in GiB; the MMIO hole [3, 4) GiB is carved out (default: 2048).")
    Long memoryGib;

    @Option(names = "--minutes", description = "Simulated minutes of VM churn; 0 boots only (default: 60).")
    Long minutes;

    @Option(names = "--vm-gib", split = "-", description = "Smallest and largest VM in GiB (default: 8-128).")
    long[] vmGib;

    @Option(names = "--snp-fraction", description = "Share of VMs that are SNP guests, 0 to 1 (default: 0.7).")
    Double snpFraction;

    @Option(names = "--placement", split = ",", description = "Host frame placements to run: scatter, pack, first-frame, last-frame (default: scatter,pack).")
    List<String> placements;

    @Option(names = "--seed", description = "Random seed of the churn (default: 42).")
    Long seed;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> overrides = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        if (minutes != null && minutes < 0) {
            err.println("rmpopt: --minutes: must be >= 0, was " + minutes);
            return ExitCodes.INPUT;
        }
        if (vmGib != null && vmGib.length != 2) {
            err.println("rmpopt: --vm-gib takes MIN-MAX, for example 8-128");
            return ExitCodes.INPUT;
        }
        if (output.jobs < 1) {
            err.println("rmpopt: --jobs: must be >= 1, was " + output.jobs);
            return ExitCodes.INPUT;
        }
        put(overrides, names, "backend", backend, "--backend");
        put(overrides, names, "host.sockets", sockets, "--sockets");
        put(overrides, names, "host.coresPerSocket", coresPerSocket, "--cores-per-socket");
        put(overrides, names, "host.threadsPerCore", threadsPerCore, "--threads-per-core");
        put(overrides, names, "host.numaNodesPerSocket", numaNodesPerSocket, "--numa-nodes-per-socket");
        put(overrides, names, "host.memoryGib", memoryGib, "--memory-gib");
        if (sockets != null || coresPerSocket != null || threadsPerCore != null || numaNodesPerSocket != null || memoryGib != null) {
            names.put("host", "host (--sockets, --cores-per-socket, --threads-per-core, --numa-nodes-per-socket, --memory-gib)");
        }
        put(overrides, names, "durationSeconds", minutes == null ? null : minutes * 60.0, "--minutes");
        if (vmGib != null) {
            overrides.put("workload.vmSize", Map.of("distribution", "uniform", "min", vmGib[0], "max", vmGib[1]));
            for (String path : List.of("workload.vmSize", "workload.vmSize.min", "workload.vmSize.max")) {
                names.put(path, "--vm-gib");
            }
        }
        put(overrides, names, "workload.snpShare", snpFraction, "--snp-fraction");
        if (placements != null) {
            overrides.put("placements", placements);
            names.put("placements", "--placement");
            for (int i = 0; i < placements.size(); i++) {
                names.put("placements[" + i + "]", "--placement");
            }
        }
        if (seed != null) {
            overrides.put("seeds", List.of(seed));
            names.put("seeds", "--seed");
        }
        output.overrides(overrides, names);
        Scenario scenario;
        try {
            scenario = ScenarioLoader.loadDefault(overrides, names);
        } catch (ScenarioException e) {
            err.println("rmpopt: " + e.getMessage());
            return ExitCodes.INPUT;
        }
        if (scenario.durationNanos() == 0) {
            // boot only: one host, the first policy and placement
            scenario = new Scenario(scenario.schema(), scenario.name(), scenario.description(), scenario.source(), scenario.sha256(),
                    scenario.host(), scenario.backend(), 0, scenario.sampleNanos(), scenario.seeds(), scenario.policies().subList(0, 1),
                    scenario.placements().subList(0, 1), scenario.workload(), scenario.outputs());
        }
        return ExperimentRunner.run(scenario, output.resolve(scenario), out, err);
    }

    private static void put(Map<String, Object> overrides, Map<String, String> names, String path, Object value, String option) {
        if (value != null) {
            overrides.put(path, value);
            names.put(path, option);
        }
    }
}
