package dev.rmpopt.cli;

import com.google.inject.ProvisionException;
import dev.rmpopt.experiments.report.ExperimentOutput;
import dev.rmpopt.experiments.report.ExperimentReport;
import dev.rmpopt.experiments.report.OutputDirectory;
import dev.rmpopt.experiments.report.RunFiles;
import dev.rmpopt.experiments.report.Summaries;
import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.experiments.sweep.RunResult;
import dev.rmpopt.experiments.sweep.Sweep;
import dev.rmpopt.experiments.sweep.SweepListener;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.SetupResult;
import dev.rmpopt.kernel.files.DebugfsRmpoptTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a validated scenario for {@code simulate} and {@code run}: checks the output directory
 * before any work, runs the sweep with progress on standard error, writes every run and the
 * experiment's files, and prints the summary in the chosen format. Standard error also hears what
 * the kernel logs at boot (model §7.1).
 */
final class ExperimentRunner {

    /** How to run and print. */
    record Options(Path out, String format, boolean table, boolean quiet, int jobs) {
    }

    private ExperimentRunner() {
    }

    static int run(Scenario scenario, Options o, PrintWriter out, PrintWriter err) {
        var problem = OutputDirectory.problem(o.out());
        if (problem.isPresent()) {
            err.println("rmpopt: --out: " + problem.get());
            return ExitCodes.IO;
        }
        err.printf(Locale.ROOT, "host: %s; RMP %d MiB; backend %s%n", scenario.host().description().summary(),
                scenario.host().description().rmpBytes() >> 20, scenario.backend());
        err.flush();
        ExperimentOutput output = new ExperimentOutput(o.out(), scenario);
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                finished.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rmpopt-interrupt");
        boolean hooked = false;
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            hooked = true;
        } catch (IllegalStateException shuttingDown) {
            return ExitCodes.INTERRUPTED;
        }
        SweepListener progress = Progress.create(o.quiet(), System.console() != null, err, System.err, scenario.runCount(),
                scenario.durationNanos());
        try {
            Sweep.Outcome outcome = Sweep.run(scenario, o.jobs(), new SweepListener() {
                @Override
                public void started(dev.rmpopt.experiments.sweep.RunKey key, int total) {
                    progress.started(key, total);
                }

                @Override
                public void progressed(dev.rmpopt.experiments.sweep.RunKey key, long simulatedNanos, long durationNanos) {
                    progress.progressed(key, simulatedNanos, durationNanos);
                }

                @Override
                public void finished(RunResult result, int done, int total) {
                    output.runFinished(result);
                    if (output.failed()) {
                        cancelled.set(true);
                    }
                    progress.finished(result, done, total);
                }
            }, cancelled::get);
            if (progress instanceof AutoCloseable c) {
                c.close();
            }
            if (outcome.failure().isPresent() && !output.failed()) {
                Throwable f = outcome.failure().get();
                Throwable cause = f instanceof ProvisionException && f.getCause() != null ? f.getCause() : f;
                if (cause instanceof IllegalArgumentException) {
                    // refused when the machine was built, before the first simulated second: an input error
                    err.println("rmpopt: " + cause.getMessage());
                    output.finish(new Sweep.Outcome(List.of(), outcome.missing(), outcome.failure()));
                    return ExitCodes.INPUT;
                }
                output.finish(outcome);
                err.println("rmpopt: a run failed: " + cause);
                cause.printStackTrace(err);
                return ExitCodes.SOFTWARE;
            }
            output.finish(outcome);
            if (!outcome.complete()) {
                err.println("rmpopt: interrupted: " + outcome.completed().size() + " of " + scenario.runCount()
                        + " runs complete" + (outcome.completed().isEmpty() ? "; nothing written"
                        : "; " + o.out().resolve(ExperimentOutput.INCOMPLETE) + " names the missing ones"));
                return ExitCodes.INTERRUPTED;
            }
            print(scenario, outcome.completed(), o, out, err);
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("rmpopt: cannot write the results under " + o.out() + ": " + e);
            return ExitCodes.IO;
        } catch (Exception e) {
            err.println("rmpopt: " + e);
            return ExitCodes.SOFTWARE;
        } finally {
            finished.countDown();
            if (hooked && !cancelled.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running; it waits for the latch counted down above
                }
            }
        }
    }

    private static void print(Scenario scenario, List<RunResult> runs, Options o, PrintWriter out, PrintWriter err) {
        RunResult first = runs.get(0);
        kernelLog(err, first.setup());
        boolean seeds = scenario.seeds().size() > 1;
        if (!o.quiet()) {
            for (RunResult r : runs) {
                err.println("wrote " + o.out().resolve(r.key().directory(seeds)).resolve("report.html")
                        + ", telemetry.json, metrics.prom, " + RunFiles.TABLE + " and " + RunFiles.RUN_JSON);
            }
            err.println("wrote " + o.out().resolve(ExperimentReport.FILE) + ", " + ExperimentOutput.SUMMARY_JSON + " and "
                    + ExperimentOutput.SUMMARY_CSV);
        }
        err.flush();
        switch (o.format()) {
            case "json" -> out.print(Summaries.json(scenario, runs, List.of()));
            case "csv" -> out.print(Summaries.csv(scenario, runs));
            default -> {
                boot(out, first.setup(), first.bootPass());
                out.print(Summaries.text(scenario, runs));
                RunResult tableRun = runs.stream().filter(r -> r.key().policy().equals(runs.get(0).key().policy()))
                        .reduce((a, b) -> b).orElse(first);
                String where = scenario.durationNanos() > 0 ? " at the end (" + tableRun.key().policy() + ", "
                        + tableRun.key().placement() + " placement" + (seeds ? ", seed " + tableRun.key().seed() : "") + ")" : " after boot";
                Path file = o.out().resolve(tableRun.key().directory(seeds)).resolve(RunFiles.TABLE);
                out.println();
                if (o.table()) {
                    out.println(DebugfsRmpoptTable.PATH + where + ":");
                    tableRun.table().forEach(out::println);
                } else {
                    out.println(DebugfsRmpoptTable.PATH + where + ": " + file + " (--table prints it)");
                }
            }
        }
        out.flush();
    }

    private static void kernelLog(PrintWriter err, SetupResult setup) {
        err.printf("SEV-SNP: Attempt RMP optimizations on physical address range @1GB alignment [0x%016x - 0x%016x]%n",
                setup.passRange().start(), setup.passRange().end());
        setup.unoptimizedAbove().ifPresent(above ->
                err.printf("SEV-SNP: RMPOPT coverage limited to 2TB; memory above 0x%x not optimized%n", above));
    }

    private static void boot(PrintWriter out, SetupResult setup, PassRecord boot) {
        out.printf(Locale.ROOT, "Boot: SNP_INIT, RMPOPT_BASE on %d cores, boot pass over %d regions: %d optimized, "
                        + "%d RMPOPT instructions, %d IPI rounds, modelled %.1f ms, longest CPU interruption %.1f us%n",
                setup.cpus(), boot.regions(), boot.regionsClean(), boot.rmpoptInstructions(), boot.ipiRounds(),
                boot.modeledNanos() / 1e6, boot.jitter().worstInterruptionNanos() / 1e3);
    }
}
