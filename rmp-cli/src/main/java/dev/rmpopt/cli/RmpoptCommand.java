package dev.rmpopt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rmpopt} command line: subcommands for the jobs the model runs. */
@Command(name = "rmpopt", mixinStandardHelpOptions = true, version = "rmpopt 0.1.0",
        description = "An executable reference model of AMD SEV-SNP's Reverse Map Table and RMPOPT.",
        subcommands = {SimulateCommand.class, RunCommand.class, TckCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:success",
            "1:a run failed inside the model (a bug)",
            "2:usage error (unknown option, a value of the wrong type)",
            "3:input error (a scenario field, a trace row, an option's value): nothing run, nothing written",
            "4:I/O error (the output directory cannot be written)",
            "130:interrupted: complete runs and INCOMPLETE.json are left, or nothing"})
public final class RmpoptCommand {

    private RmpoptCommand() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line, for tests and embedding. */
    public static CommandLine newCommandLine() {
        return new CommandLine(new RmpoptCommand());
    }
}
