package dev.rmpopt.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.kernel.EventScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fleet file: the shipped scenario reads; every bad field is an error naming its line, column and path. */
class FleetFileTest {

    @TempDir
    Path dir;

    @Test
    void theShippedSmallFleetReads() throws Exception {
        Path file = Path.of("..", "scenarios", "fleet-small.yaml");
        FleetSpec spec = FleetFile.read(file);
        assertTrue(spec.fleetHosts().size() >= 10 && spec.fleetHosts().size() < 100, "tens of hosts");
        assertEquals(List.of("snp-aware", "first-fit", "best-fit"), spec.schedulers());
        assertTrue(spec.workload() instanceof FleetWorkload.Synthetic);
    }

    @Test
    void theTestFleetReadsWithDefaults() throws Exception {
        FleetSpec spec = FleetFile.parse("t.yaml", Fleets.small(dir), dir);
        assertEquals(20, spec.fleetHosts().size());
        assertEquals("wide-0000", spec.fleetHosts().get(0).name());
        assertEquals("narrow-0011", spec.fleetHosts().get(19).name());
        assertEquals(5 * 60 * EventScheduler.SECOND, spec.durationNanos());
        assertEquals("v8-v10", spec.policy());
        assertEquals("pack", spec.placement());
        assertEquals(2, spec.hosts().get(0).threadsPerCore());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "count 0            | 'count: 8'              | 'count: 0'              | t.yaml:7:19: hosts[0].count: must be a whole number >= 1, not 0",
        "negative memory    | 'memoryGib: 16'         | 'memoryGib: -3'         | t.yaml:8:32: hosts[1].memoryGib: must be a whole number >= 1, not -3",
        "unknown field      | 'sampleSeconds: 30'     | 'sampleSecs: 30'        | t.yaml:5:1: sampleSecs: is not a known field",
        "typo in a group    | 'coresPerSocket: 2'     | 'coresPerSoket: 2'      | t.yaml:8:47: hosts[1].coresPerSoket: is not a known field",
        "scheduler          | '[snp-aware, first-fit]'| '[snp-aware, worst-fit]'| t.yaml:16:25: schedulers[1]: is one of snp-aware, first-fit, best-fit, not 'worst-fit'",
        "SNP share          | 'snpFraction: 0.5'      | 'snpFraction: 1.5'      | t.yaml:14:5: workload.synthetic.snpFraction: must be a number from 0.0 to 1.0, not 1.5",
        "distribution       | 'exponential'           | 'poisson'               | t.yaml:12:23: workload.synthetic.lifetimeMinutes.distribution: is fixed, exponential, lognormal, uniform or weighted, not 'poisson'",
        "weights            | '[4, 3, 2, 1]'          | '[4, 3]'                | t.yaml:13:37: workload.synthetic.vmGib.values: needs one value at least, and as many weights as values",
        "sampling too long  | 'sampleSeconds: 30'     | 'sampleSeconds: 3000'   | t.yaml:5:1: sampleSeconds: the sampling interval cannot exceed the simulated time",
        "version            | 'version: 1'            | 'version: 2'            | t.yaml:1:1: version: this rmpopt reads fleet files of version 1, not 2",
        "text for a number  | 'durationMinutes: 5'    | 'durationMinutes: five' | t.yaml:4:1: durationMinutes: must be a number from",
        "SMT                | 'coresPerSocket: 2'     | 'coresPerSocket: 2, threadsPerCore: 4' | t.yaml:8:66: hosts[1].threadsPerCore: must be a whole number from 1 to 2, not 4",
        "duplicate shape    | 'shape: narrow'         | 'shape: wide'           | t.yaml:8:6: hosts[1].shape: names a shape listed before: wide",
        "no workload kind   | 'synthetic:'            | 'synthetik:'            | t.yaml:10:3: workload.synthetik: is not a known field",
        "bad YAML           | 'schedulers: [snp-aware, first-fit]' | 'schedulers: [snp-aware, first-fit' | t.yaml:17:8: not valid YAML: while parsing a flow sequence",
    })
    void aBadFieldIsAnErrorNamingWhereAndWhat(String name, String from, String to, String expected) {
        String text = Fleets.small(dir);
        assertTrue(text.contains(from), name + ": the test fleet has " + from);
        FleetFileException e = assertThrows(FleetFileException.class, () -> FleetFile.parse("t.yaml", text.replace(from, to), dir));
        assertTrue(e.getMessage().startsWith(expected), name + ": " + e.getMessage());
    }

    @Test
    void aPolicyOrBackendUnknownToTheModelIsNamed() {
        String text = Fleets.small(dir).replace("schedulers:", "policy: v11\nschedulers:");
        FleetFileException e = assertThrows(FleetFileException.class, () -> FleetFile.parse("t.yaml", text, dir));
        assertTrue(e.getMessage().startsWith("t.yaml:16:1: policy: no RMPOPT policy named 'v11'"), e.getMessage());
        String backend = Fleets.small(dir).replace("schedulers:", "backend: quantum\nschedulers:");
        e = assertThrows(FleetFileException.class, () -> FleetFile.parse("t.yaml", backend, dir));
        assertTrue(e.getMessage().startsWith("t.yaml:16:1: backend: no RMP backend named 'quantum'"), e.getMessage());
    }

    @Test
    void aMissingTraceIsNamedBeforeAnythingRuns() {
        String text = Fleets.small(dir).replaceAll("(?s)  synthetic:.*?snpFraction: 0.5\n",
                "  trace: {file: nowhere.csv, format: azure-v2}\n");
        FleetFileException e = assertThrows(FleetFileException.class, () -> FleetFile.parse("t.yaml", text, dir));
        assertTrue(e.getMessage().startsWith("t.yaml:10:11: workload.trace.file: names no readable file"), e.getMessage());
    }

    @Test
    void jsonWorksToo() throws Exception {
        Path file = dir.resolve("f.json");
        Files.writeString(file, "{\"version\": 1, \"durationMinutes\": 10, \"hosts\": [{\"shape\": \"h\", \"count\": 2, \"memoryGib\": 8, \"coresPerSocket\": 2}],"
                + " \"workload\": {\"synthetic\": {\"vmsPerHour\": 10, \"lifetimeMinutes\": {\"distribution\": \"fixed\", \"value\": 5},"
                + " \"vmGib\": {\"distribution\": \"uniform\", \"min\": 1, \"max\": \"2\"}}}}");
        FleetFileException e = assertThrows(FleetFileException.class, () -> FleetFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1:265: workload.synthetic.vmGib.max: must be a whole number >= 1, not \"2\""),
                e.getMessage());
        Files.writeString(file, Files.readString(file).replace("\"2\"", "2"));
        assertEquals(2, FleetFile.read(file).fleetHosts().size());
    }
}
