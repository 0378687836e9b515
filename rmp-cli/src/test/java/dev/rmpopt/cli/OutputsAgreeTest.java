package dev.rmpopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run, four outputs: the summary printed on the command line, {@code telemetry.json},
 * {@code metrics.prom} and {@code report.html} must tell the same figures, since each reads the same
 * owner (the run's telemetry).
 */
class OutputsAgreeTest {

    @TempDir
    Path out;

    @Test
    void theSummaryTheJsonThePrometheusTextAndTheReportAgree() throws Exception {
        SimulateCommandTest.Run run = SimulateCommandTest.run("simulate", "--backend", "reference", "--cores-per-socket", "2",
                "--memory-gib", "24", "--vm-gib", "1-2", "--minutes", "20", "--placement", "pack", "--seed", "7",
                "--table", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        List<String> lines = run.out().lines().toList();
        List<String> policies = cells(lines, "policy");
        assertEquals(List.of("v8-v10", "targeted"), policies);
        for (int column = 0; column < policies.size(); column++) {
            Path dir = out.resolve("pack-" + policies.get(column));
            JsonNode json = new ObjectMapper().readTree(dir.resolve("telemetry.json").toFile());
            Map<String, Double> prom = prometheus(Files.readString(dir.resolve("metrics.prom")));
            String html = Files.readString(dir.resolve("report.html"));

            long passesAfterBoot = json.get("passes").size() - 1;
            assertEquals(String.valueOf(passesAfterBoot), cells(lines, "passes after boot").get(column));
            assertEquals(passesAfterBoot, sum(prom, "rmpopt_pass_modeled_seconds_count") - value(prom, "rmpopt_pass_modeled_seconds_count{trigger=\"boot\"}"));
            assertTrue(html.contains(">" + (passesAfterBoot + 1) + "</div>"), "the report's pass count");

            long instructions = 0;
            for (int p = 1; p < json.get("passes").size(); p++) {
                instructions += json.get("passes").get(p).get("rmpoptInstructions").asLong();
            }
            assertEquals(String.format(Locale.ROOT, "%,d", instructions), cells(lines, "RMPOPT instructions").get(column));
            assertEquals(instructions, sum(prom, "rmpopt_pass_instructions_total") - value(prom, "rmpopt_pass_instructions_total{trigger=\"boot\"}"));

            long hostWrites = 0;
            for (JsonNode outcome : json.get("writes")) {
                hostWrites += outcome.get("total").asLong();
            }
            long skipped = json.get("writes").get("SKIPPED").get("total").asLong();
            assertEquals(String.format(Locale.ROOT, "%.1f%% of %,d", 100.0 * skipped / hostWrites, hostWrites),
                    cells(lines, "host-side writes skipped").get(column));
            assertEquals(hostWrites, sum(prom, "rmpopt_writes_total"));
            assertEquals(skipped, value(prom, "rmpopt_writes_total{outcome=\"skipped\"}"));
            assertTrue(html.contains(String.format(Locale.ROOT, "%,d skipped, ", skipped)), "the report's write card");

            long guestChecked = json.get("snpGuestWrites").get("CHECKED").asLong();
            assertTrue(guestChecked > 0, "SNP guests wrote");
            assertEquals(String.format(Locale.ROOT, "%,d", guestChecked), cells(lines, "SNP guest writes checked").get(column));
            assertEquals(guestChecked, value(prom, "rmpopt_guest_writes_total{outcome=\"checked\"}"));

            double mean = 0;
            int samples = json.get("coverage").size();
            long first = json.get("host").get("passRange").get("first").asLong();
            long end = json.get("host").get("passRange").get("end").asLong();
            int cores = json.get("host").get("cores").asInt();
            for (JsonNode sample : json.get("coverage")) {
                long pairs = 0;
                for (long r = first; r < end; r++) {
                    pairs += sample.get("optimizedCores").get((int) r).asLong();
                }
                mean += (double) pairs / ((end - first) * cores) / samples;
            }
            assertEquals(String.format(Locale.ROOT, "%.1f%%", 100 * mean), cells(lines, "coverage, mean").get(column));
        }
    }

    /** The cells of the summary row {@code label}, one per run. */
    static List<String> cells(List<String> lines, String label) {
        String row = lines.stream().filter(l -> l.startsWith("  " + label + "  ")).findFirst().orElseThrow(
                () -> new AssertionError("no row '" + label + "'"));
        String rest = row.substring(30);
        List<String> cells = new java.util.ArrayList<>();
        for (int at = 0; at + 21 <= rest.length(); at += 21) {
            cells.add(rest.substring(at, at + 21).trim());
        }
        return cells;
    }

    /** Every sample line of a Prometheus text exposition: series with its labels, and value. */
    static Map<String, Double> prometheus(String text) {
        Map<String, Double> series = new TreeMap<>();
        Pattern line = Pattern.compile("^(\\w+)(\\{[^}]*\\})? (\\S+)$");
        for (String l : text.lines().toList()) {
            // the labels naming the run, which every series carries, are left out
            l = l.replaceAll("(backend|placement|policy|scenario|seed)=\"[^\"]*\",?", "").replace(",}", "}").replace("{}", "");
            Matcher m = line.matcher(l);
            if (!l.startsWith("#") && m.matches()) {
                series.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return series;
    }

    /** The value of one series, which must exist. */
    static double value(Map<String, Double> series, String key) {
        Double v = series.get(key);
        if (v == null) {
            throw new AssertionError("no series " + key + " in " + series.keySet());
        }
        return v;
    }

    /** The sum of every series of {@code name}, whatever its labels. */
    static double sum(Map<String, Double> series, String name) {
        return series.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
