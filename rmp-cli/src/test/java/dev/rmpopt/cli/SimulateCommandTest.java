package dev.rmpopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cli = RmpoptCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @TempDir
    Path out;

    @Test
    void printsTheDebugfsTableOfASmallHost() {
        Run run = run("simulate", "--backend", "reference", "--sockets", "2", "--cores-per-socket", "2",
                "--threads-per-core", "2", "--memory-gib", "8", "--minutes", "0", "--table", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).matches("Boot: SNP_INIT, RMPOPT_BASE on 4 cores, boot pass over 8 regions: 5 optimized, "
                + "32 RMPOPT instructions, 8 IPI rounds, modelled \\d+\\.\\d ms, longest CPU interruption \\d+\\.\\d us"), lines.get(0));
        assertEquals("/sys/kernel/debug/x86/rmpopt/rmpopt-table after boot:", lines.get(2));
        assertEquals(List.of(
                "Memory @  0GB: CPU(s): none",
                "Memory @  1GB: CPU(s): 0-7",
                "Memory @  2GB: CPU(s): none",
                "Memory @  3GB: CPU(s): 0-7",
                "Memory @  4GB: CPU(s): 0-7",
                "Memory @  5GB: CPU(s): 0-7",
                "Memory @  6GB: CPU(s): 0-7",
                "Memory @  7GB: CPU(s): none"), lines.subList(3, lines.size()));
        assertTrue(run.err().contains("[0x0000000000000000 - 0x0000000200000000]"), run.err());
    }

    @Test
    void churnsUnderBothPoliciesAndReportsSideBySide() throws IOException {
        Run run = run("simulate", "--backend", "reference", "--cores-per-socket", "2", "--memory-gib", "24",
                "--vm-gib", "1-2", "--minutes", "20", "--placement", "pack", "--table", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(1).startsWith("Churn: 20 min simulated"), lines.get(1));
        assertTrue(lines.get(2).matches("  placement +pack +pack"), lines.get(2));
        assertTrue(lines.get(3).matches("  policy +v8-v10 +targeted"), lines.get(3));
        assertTrue(lines.stream().anyMatch(l -> l.matches("  RMP faults +0 +0")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  coverage, mean")), run.out());
        assertTrue(lines.contains("/sys/kernel/debug/x86/rmpopt/rmpopt-table at the end (v8-v10, pack placement):"), run.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("Memory @ 23GB: CPU(s): "), run.out());
        for (String policy : List.of("pack-v8-v10", "pack-targeted")) {
            Path dir = out.resolve(policy);
            assertTrue(Files.readString(dir.resolve("report.html")).contains("<svg"), policy);
            assertTrue(Files.readString(dir.resolve("telemetry.json")).startsWith("{"), policy);
            assertTrue(Files.readString(dir.resolve("metrics.prom")).contains("rmpopt_"), policy);
        }
    }

    @Test
    void theTableIsWrittenAndPrintedOnlyWhenAsked() throws IOException {
        Run run = run("simulate", "--backend", "reference", "--cores-per-socket", "2", "--memory-gib", "8", "--minutes", "0",
                "--quiet", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().lines().noneMatch(l -> l.startsWith("Memory @")), run.out());
        Path table = out.resolve("scatter-v8-v10").resolve("rmpopt-table.txt");
        assertTrue(run.out().contains(table.toString()), run.out());
        assertEquals("Memory @  0GB: CPU(s): none", Files.readAllLines(table).get(0));
        assertEquals("", run.err().lines().filter(l -> l.startsWith("wrote") || l.startsWith("rmpopt:")).reduce("", String::concat),
                "--quiet: no progress, no 'wrote' lines");
    }

    @Test
    void jsonAndCsvCarryTheManifest() throws IOException {
        Run json = run("simulate", "--backend", "reference", "--cores-per-socket", "2", "--memory-gib", "8", "--minutes", "2",
                "--vm-gib", "1-2", "--placement", "pack", "--format", "json", "--quiet", "--out", out.toString());
        assertEquals(0, json.status(), json.err());
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals("default", tree.get("manifest").get("scenario").asText());
        assertEquals(64, tree.get("manifest").get("scenario_sha256").asText().length());
        assertEquals(1, tree.get("manifest").get("schema_version").asInt());
        assertEquals("reference", tree.get("runs").get(0).get("manifest").get("backend").asText());
        assertEquals(42, tree.get("runs").get(0).get("manifest").get("seed").asLong());
        Run csv = run("simulate", "--backend", "reference", "--cores-per-socket", "2", "--memory-gib", "8", "--minutes", "2",
                "--vm-gib", "1-2", "--placement", "pack", "--format", "csv", "--quiet", "--out", out.toString());
        List<String> rows = csv.out().lines().toList();
        assertTrue(rows.get(0).startsWith("tool_version,schema_version,scenario,scenario_sha256,backend,seed,policy,placement,"), rows.get(0));
        assertEquals(3, rows.size(), csv.out());
        assertTrue(rows.get(1).contains(",reference,42,v8-v10,pack,"), rows.get(1));
        assertTrue(Files.readString(out.resolve("pack-v8-v10").resolve("metrics.prom")).contains("policy=\"v8-v10\""));
    }

}
