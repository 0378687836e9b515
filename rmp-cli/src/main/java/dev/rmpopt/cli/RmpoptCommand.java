package dev.rmpopt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rmpopt} command line: subcommands for the jobs the model runs. */
@Command(name = "rmpopt", mixinStandardHelpOptions = true, version = "rmpopt 0.1.0",
        description = "An executable reference model of AMD SEV-SNP's Reverse Map Table and RMPOPT.",
        subcommands = {SimulateCommand.class, TckCommand.class, CommandLine.HelpCommand.class})
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
