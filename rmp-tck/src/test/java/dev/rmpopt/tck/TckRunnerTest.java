package dev.rmpopt.tck;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command-line runner: finds a backend by name, prints every rule's verdict, exits as the verdicts say. */
class TckRunnerTest {

    @Test
    void aBrokenBackendFoundByNameFailsWithItsCounterexample() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TckRunner.runCommandLine(new String[] {"--backend", "tck-test-accepts-nulls"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        assertEquals(1, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(report.contains("FAIL     " + Rule.OUT_OF_CONTRACT.displayName()), report);
        assertTrue(report.contains("seed: 0x") && report.contains("if this fails, check:"), report);
        assertTrue(report.contains("SKIPPED  " + Rule.I1.displayName()) && report.contains("not verified"), report);
        assertTrue(report.contains("does NOT conform"), report);
        for (Rule r : Rule.values()) {
            assertTrue(report.contains(r.methodName()), r + " reported");
        }
    }

    @Test
    void anUnknownBackendListsTheOnesThereAre() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TckRunner.runCommandLine(new String[] {"--backend", "nope"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("available: tck-test-accepts-nulls"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, TckRunner.runCommandLine(new String[] {"--depth"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
    }
}
