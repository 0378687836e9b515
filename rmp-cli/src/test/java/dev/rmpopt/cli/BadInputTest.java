package dev.rmpopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input on the command line, in scenario files and in traces: each is a clear message naming
 * the problem, a documented exit status, and nothing written (the output directory is not even
 * created).
 */
class BadInputTest {

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("a-file"), "not a directory");
        Files.writeString(dir.resolve("syntax.yaml"), "schema: 1\nhost: [unclosed\n");
        Files.writeString(dir.resolve("unknown.yaml"), "schema: 1\nhosts: {preset: venice-2tib}\n");
        Files.writeString(dir.resolve("lifetime.yaml"), "schema: 1\nworkload:\n  lifetime: {distribution: exponential, mean: -3}\n");
        Files.writeString(dir.resolve("types.json"), "{\"schema\": 1, \"seeds\": \"many\"}");
        Files.writeString(dir.resolve("bad-row.csv"), "a1,s,d,0,300,1,1,1,c,2,4\na2,s,d,abc,300,1,1,1,c,2,4\n");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("bad-row.csv.gz")))) {
            gz.write("a1,s,d,0,300,1,1,1,c,2,4\na2,s,d,0,300,1,1,1,c,2,>x\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("huawei-bad.csv"), "vmid,cpu,memory,time,type\n1,2,4,10,1\n");
        Files.writeString(dir.resolve("trace.yaml"), "schema: 1\nworkload:\n  trace: {file: bad-row.csv, format: azure-v2}\n");
        Files.writeString(dir.resolve("trace-gz.yaml"), "schema: 1\nworkload:\n  trace: {file: bad-row.csv.gz, format: azure-v2}\n");
        Files.writeString(dir.resolve("huawei.yaml"), "schema: 1\nworkload:\n  trace: {file: huawei-bad.csv, format: huawei}\n");
        Files.writeString(dir.resolve("ok.yaml"), "schema: 1\nhost: {preset: small-64gib}\nbackend: reference\ndurationSeconds: 60\n"
                + "workload:\n  vmSize: {distribution: uniform, min: 1, max: 2}\n");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            simulate --snp-fraction NaN                               | 3 | --snp-fraction: must be a finite number, was NaN
            simulate --snp-fraction 1.5                               | 3 | --snp-fraction: must be between 0 and 1, was 1.5
            simulate --snp-fraction -0.1                              | 3 | --snp-fraction: must be between 0 and 1, was -0.1
            simulate --numa-nodes-per-socket 3                        | 3 | --numa-nodes-per-socket: NPS is 1, 2 or 4, was 3
            simulate --numa-nodes-per-socket 4 --cores-per-socket 250 | 3 | --numa-nodes-per-socket: 4 does not divide the 250 cores
            simulate --vm-gib 4096-8192                               | 3 | --vm-gib: VMs up to 8192 GiB cannot fit the host's 2047 GiB of RAM
            simulate --vm-gib 64-8                                    | 3 | --vm-gib: must be >= min (64 GiB), was 8
            simulate --vm-gib 0-8                                     | 3 | --vm-gib: must be > 0, was 0
            simulate --vm-gib 8                                       | 3 | --vm-gib takes MIN-MAX
            simulate --placement pack,pack                            | 3 | --placement: 'pack' appears twice
            simulate --placement random                               | 3 | --placement: no placement named 'random'
            simulate --minutes -1                                     | 3 | --minutes: must be >= 0, was -1
            simulate --threads-per-core 3                             | 3 | --threads-per-core: must be 1 or 2, was 3
            simulate --sockets 0                                      | 3 | --sockets: must be between 1 and 8, was 0
            simulate --memory-gib 0                                   | 3 | --memory-gib: must be between 4 and 65536, was 0
            simulate --backend nope                                   | 3 | --backend: no RMP backend named 'nope'
            simulate --format xml                                     | 3 | --format: text, json or csv, was 'xml'
            simulate --jobs 0                                         | 3 | --jobs: must be >= 1, was 0
            simulate --sockets two                                    | 2 | Invalid value for option '--sockets'
            simulate --backend reference --memory-gib 128 --cores-per-socket 2 --vm-gib 1-2 | 3 | use the scalable backend
            simulate --out {dir}/a-file/sub                           | 4 | --out: cannot create {dir}/a-file/sub: {dir}/a-file is not a directory
            simulate --out {dir}/a-file                               | 4 | --out: {dir}/a-file exists and is not a directory
            run {dir}/missing.yaml                                    | 3 | cannot read the scenario
            run {dir}/syntax.yaml                                     | 3 | {dir}/syntax.yaml:2:16: not YAML
            run {dir}/unknown.yaml                                    | 3 | hosts: unknown field; known here:
            run {dir}/lifetime.yaml                                   | 3 | workload.lifetime.mean: must be > 0, was -3
            run {dir}/types.json                                      | 3 | seeds: wrong type
            run {dir}/trace.yaml                                      | 3 | workload.trace.file: {dir}/bad-row.csv:2:8: vmcreated: not a whole number: 'abc'
            run {dir}/trace-gz.yaml                                   | 3 | workload.trace.file: {dir}/bad-row.csv.gz:2:24: vmmemorybucket: not a bucket
            run {dir}/huawei.yaml                                     | 3 | workload.trace.file: {dir}/huawei-bad.csv:2:1: vmid: '1' is deleted before it is created
            run {dir}/ok.yaml --seed 1,1                              | 3 | --seed: 1 appears twice
            run {dir}/ok.yaml --format yaml                           | 3 | --format: text, json or csv, was 'yaml'
            run {dir}/ok.yaml --out {dir}/a-file/x                    | 4 | is not a directory
            run                                                       | 2 | Missing required parameter: 'FILE'
            """)
    void aClearMessageAndNothingWritten(String command, int status, String message) {
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of(command.replace("{dir}", dir.toString()).split(" ")));
        if (!command.contains("--out")) {
            args.add("--out");
            args.add(out.toString());
        }
        SimulateCommandTest.Run run = SimulateCommandTest.run(args.toArray(String[]::new));
        assertEquals(status, run.status(), run.err());
        assertTrue(run.err().contains(message.replace("{dir}", dir.toString())), run.err());
        assertEquals("", run.out(), "nothing on standard output");
        assertFalse(Files.exists(out), "nothing written");
        assertFalse(Files.exists(dir.resolve("a-file").resolve("sub")));
    }
}
