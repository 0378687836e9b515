package dev.rmpopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code rmpopt tck}: the subcommand is registered and hands its options to the kit's runner (the full run is by hand: it takes a minute). */
class TckCommandTest {

    @Test
    void anUnknownBackendIsRefusedNamingTheOnesThereAre() {
        CommandLine cli = RmpoptCommand.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute("tck", "--backend", "nope");
        assertEquals(2, status);
        assertTrue(err.toString().contains("available: reference, scalable"), err.toString());
    }

    @Test
    void helpNamesTheOptions() {
        CommandLine cli = RmpoptCommand.newCommandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("tck", "--help"));
        assertTrue(out.toString().contains("--backend") && out.toString().contains("--classpath"), out.toString());
    }
}
