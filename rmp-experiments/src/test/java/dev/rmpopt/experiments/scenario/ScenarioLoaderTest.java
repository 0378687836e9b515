package dev.rmpopt.experiments.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.kvm.Arrivals;
import dev.rmpopt.kvm.ChurnConfig;
import dev.rmpopt.kvm.ChurnWorkload;
import dev.rmpopt.kvm.Distribution;
import dev.rmpopt.kvm.VmEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultScenarioIsTheClassicWorkload() throws ScenarioException {
        Scenario s = ScenarioLoader.loadDefault();
        ChurnConfig classic = ChurnConfig.defaults();
        assertEquals(classic.toWorkload(), s.workload(42));
        assertEquals(List.of(42L), s.seeds());
        assertEquals(List.of("v8-v10", "targeted"), s.policies().stream().map(PolicySpec::label).toList());
        assertEquals(List.of("scatter", "pack"), s.placements());
        assertEquals(2048, s.host().memoryGib());
        assertEquals(512, s.host().topology().coreCount());
        assertEquals("Churn: 60 min simulated, a VM every 90 s living 1200 s on average, 8-128 GiB, 70% SNP, seed 42",
                s.describeWorkload(42));
    }

    @Test
    void theShippedDefaultIsTheOneInTheJar() throws IOException {
        Path shipped = Path.of("..", "scenarios", "default.yaml");
        assertEquals(Files.readString(shipped), new String(ScenarioLoader.defaultBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void everyShippedScenarioLoadsAndTheDefaultFileIsTheBuiltInDefault() throws IOException, ScenarioException {
        List<Path> files;
        try (var list = Files.list(Path.of("..", "scenarios"))) {
            // fleet-*.yaml are fleet files, of rmp-fleet's own schema (its tests load them)
            files = list.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("fleet-")).sorted().toList();
        }
        assertTrue(files.size() >= 7, files.toString());
        for (Path f : files) {
            Scenario s = ScenarioLoader.load(f, Map.of(), Map.of());
            assertEquals(f.getFileName().toString().replace(".yaml", ""), s.name(), f.toString());
        }
        Scenario file = ScenarioLoader.load(Path.of("..", "scenarios", "default.yaml"), Map.of(), Map.of());
        Scenario builtIn = ScenarioLoader.loadDefault();
        assertEquals(builtIn.sha256(), file.sha256());
        assertEquals(builtIn.workload(42), file.workload(42));
        assertEquals(builtIn.host(), file.host());
        assertEquals(builtIn.policies(), file.policies());
        assertEquals(builtIn.placements(), file.placements());
        Scenario sweep = ScenarioLoader.load(Path.of("..", "scenarios", "sweep-small.yaml"), Map.of(), Map.of());
        assertEquals(30, sweep.runCount(), "3 policies x 2 placements x 5 seeds");
    }

    @Test
    void aFileOverridesOnlyWhatItGives() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("""
                schema: 1
                name: short
                durationSeconds: 600
                workload:
                  lifetime: {distribution: log-normal, median: 300, sigma: 1.5}
                  vmSize: {distribution: empirical, values: [4, 16, 64], weights: [5, 3, 1]}
                  writes: {hostPerSecond: 100}
                policies:
                  - {name: v3-v7, delaySeconds: 30}
                  - {name: targeted, debounce: false}
                  - {name: v1, manualPassEverySeconds: 300}
                """, dir);
        ChurnWorkload w = s.workload(7);
        Arrivals.Generated g = (Arrivals.Generated) w.arrivals();
        assertEquals(new Distribution.LogNormal(300e9, 1.5), g.lifetimeNanos());
        assertEquals(new Distribution.Weighted(List.of(4L, 16L, 64L), List.of(5.0, 3.0, 1.0)), g.vmGib());
        assertEquals(new Distribution.Exponential(90_000_000_000L), g.interarrivalNanos(), "kept from the default");
        assertEquals(100, w.hostWritesPerSecond());
        assertEquals(20, w.guests().deviceWritesPerSecond(), "kept from the default");
        assertEquals(List.of("v3-v7(delay=30s)", "targeted(no-debounce)", "v1+manual/300s"),
                s.policies().stream().map(PolicySpec::label).toList());
    }

    @Test
    void jsonScenariosAreReadToo() throws IOException, ScenarioException {
        Path file = dir.resolve("s.json");
        Files.writeString(file, "{\"schema\": 1, \"name\": \"j\", \"seeds\": [1, 2], \"placements\": [\"pack\"]}");
        Scenario s = ScenarioLoader.load(file, Map.of(), Map.of());
        assertEquals(List.of(1L, 2L), s.seeds());
        assertEquals(64, s.sha256().length());
    }

    @Test
    void aTraceScenarioReadsTheTraceAtLoadTime() throws IOException, ScenarioException {
        Files.writeString(dir.resolve("t.csv"), """
                a1,s1,d1,0,3600,90.5,10.2,80.1,Delay-insensitive,2,4
                a2,s2,d2,300,,99.0,20.0,95.0,Interactive,>24,>64
                """);
        Scenario s = ScenarioLoader.parse("""
                schema: 1
                name: trace
                workload:
                  trace: {file: t.csv, format: azure-v2, snpShare: 1.0, timeScale: 0.5}
                """, dir);
        List<VmEvent> events = ((Arrivals.Scripted) s.workload(1).arrivals()).events();
        assertEquals(List.of(new VmEvent.Launch(0, "a1", 4L << 30, 2, true), new VmEvent.Launch(150_000_000_000L, "a2", 128L << 30, 48, true),
                new VmEvent.Destroy(1800_000_000_000L, "a1")), events);
    }

    /** Each bad field: its path and what is wrong, before any work. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown field             | bogus: 1                                                        | bogus: unknown field
            unknown nested field      | host: {preset: venice-2tib, socket: 2}                          | host.socket: unknown field
            wrong type                | durationSeconds: an hour                                        | durationSeconds: wrong type
            float for an int          | host: {preset: venice-2tib, sockets: 1.5}                       | host.sockets: wrong type
            schema version            | schema: 2                                                       | schema: this build reads schema 1, not 2
            negative mean             | workload: {lifetime: {distribution: exponential, mean: -3}}     | workload.lifetime.mean: must be > 0, was -3
            NaN share                 | workload: {snpShare: NaN}                                       | workload.snpShare:
            share above 1             | workload: {snpShare: 1.5}                                       | workload.snpShare: must be between 0 and 1, was 1.5
            field of another kind     | workload: {lifetime: {distribution: exponential, mean: 5, sigma: 1}} | workload.lifetime.sigma: not a field of a exponential distribution
            unknown distribution      | workload: {arrivals: {distribution: pareto, mean: 5}}           | workload.arrivals.distribution: one of
            weights mismatch          | workload: {vmSize: {distribution: empirical, values: [4, 8], weights: [1]}} | workload.vmSize.weights: needs one weight per value
            uniform max below min     | workload: {vmSize: {distribution: uniform, min: 64, max: 8}}     | workload.vmSize.max: must be >= min
            VMs larger than the host  | workload: {vmSize: {distribution: uniform, min: 8, max: 4096}}   | workload.vmSize: VMs up to 4096 GiB cannot fit the host's 2047 GiB
            NPS 3 on 256 cores        | host: {preset: venice-2tib, numaNodesPerSocket: 3}              | host.numaNodesPerSocket: NPS is 1, 2 or 4, was 3
            NPS not dividing cores    | host: {preset: venice-2tib, coresPerSocket: 250, numaNodesPerSocket: 4} | host.numaNodesPerSocket: 4 does not divide the 250 cores
            unknown preset            | host: {preset: venice-9tib}                                     | host.preset: no preset named 'venice-9tib'
            duplicate placement       | placements: [pack, pack]                                        | placements[1]: 'pack' appears twice
            unknown placement         | placements: [spread]                                            | placements[0]: no placement named 'spread'
            no policies               | policies: []                                                    | policies: give at least one policy
            unknown policy            | policies: [{name: v11}]                                         | policies[0].name: no policy named 'v11'
            delay on v1               | policies: [{name: v1, delaySeconds: 5}]                         | policies[0].delaySeconds: v1 has no delay
            debounce on v8            | policies: [{name: v8-v10, debounce: false}]                     | policies[0].debounce: only the targeted policy
            duplicate policy          | policies: [{name: v8-v10}, {name: v8-v10, delaySeconds: 10}]    | policies[1]: 'v8-v10' appears twice
            duplicate seed            | seeds: [1, 1]                                                   | seeds[1]: 1 appears twice
            no seeds                  | seeds: []                                                       | seeds: give at least one seed
            SNP on 1 GiB pages        | workload: {pages: {snp: 1G}}                                    | workload.pages.snp: 4K or 2M
            bounce not 4 MiB chunks   | workload: {bounceBufferMib: 6}                                  | workload.bounceBufferMib: must be 0 or a positive multiple of 4 MiB
            negative write rate       | workload: {writes: {devicePerVmPerSecond: -1}}                  | workload.writes.devicePerVmPerSecond: must be between 0 and 100000
            unknown backend           | backend: quantum                                                | backend:
            bad output format         | outputs: {format: xml}                                          | outputs.format: text, json or csv
            trace file missing        | workload: {trace: {file: nope.csv, format: azure-v2}}           | workload.trace.file: cannot read
            trace format unknown      | workload: {trace: {file: t.csv, format: azure-v3}}              | workload.trace.format: one of azure-v1
            trace with arrivals       | workload: {arrivals: {distribution: fixed, value: 5}, trace: {file: t.csv, format: azure-v2}} | workload.arrivals: a trace gives the VMs
            trace host beyond fleet   | workload: {trace: {file: t.csv, format: azure-v2, host: 5}}     | workload.trace.host: first-fit fills 1 host(s)
            trace window reversed     | workload: {trace: {file: t.csv, format: azure-v2, startSeconds: 600, endSeconds: 300}} | workload.trace.endSeconds: must be after startSeconds
            not a mapping             | - just a list                                                   | a scenario is a mapping
            """)
    void badScenariosNameTheField(String name, String yaml, String message) throws IOException {
        Files.writeString(dir.resolve("t.csv"), "a1,s1,d1,0,3600,1,1,1,c,2,4\n");
        String text = yaml.startsWith("-") || yaml.startsWith("schema") ? yaml : "schema: 1\n" + yaml;
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(text, dir));
        assertTrue(e.getMessage().contains(message), name + ": " + e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("""
                schema: 1
                seeds: []
                placements: [pack, pack]
                workload: {snpShare: 2}
                """, dir));
        assertEquals(3, e.problems().size(), e.getMessage());
    }

    @Test
    void aProblemAtAnOverriddenPathIsNamedByItsOption() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.loadDefault(
                Map.of("workload.snpShare", Double.NaN), Map.of("workload.snpShare", "--snp-fraction")));
        assertEquals(List.of("--snp-fraction: must be a finite number, was NaN"), e.problems());
    }
}
