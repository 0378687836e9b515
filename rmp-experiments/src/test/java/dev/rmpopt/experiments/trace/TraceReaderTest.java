package dev.rmpopt.experiments.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceReaderTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Path gzip(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    static final String AZURE_V2 = """
            a1,s1,d1,0,3600,90.5,10.2,80.1,Delay-insensitive,2,4
            a2,s2,d2,300,,99.0,20.0,95.0,Interactive,>24,>64
            a3,s1,d3,600,1200,50,5,40,Unknown,8,32
            """;

    @Test
    void readsAzureV2WithOpenTopBuckets() throws IOException {
        List<TraceVm> vms = TraceReader.read(write("v2.csv", AZURE_V2), TraceFormat.AZURE_V2);
        assertEquals(3, vms.size());
        assertEquals(TraceVm.of("a1", 1, 0, OptionalLong.of(3600), 2, 4 * GIB, Optional.of("Delay-insensitive"), Optional.of("s1")),
                vms.get(0));
        TraceVm open = vms.get(1);
        assertEquals(48, open.cores());
        assertEquals(128 * GIB, open.memoryBytes());
        assertTrue(open.deletedSeconds().isEmpty());
        assertEquals(3, vms.get(2).line());
    }

    @Test
    void gzippedIsTheSame() throws IOException {
        assertEquals(TraceReader.read(write("v2.csv", AZURE_V2), TraceFormat.AZURE_V2),
                TraceReader.read(gzip("v2.csv.gz", AZURE_V2), TraceFormat.AZURE_V2));
    }

    @Test
    void readsAzureV1Values() throws IOException {
        List<TraceVm> vms = TraceReader.read(write("v1.csv", "x,s,d,17,1000,1,1,1,Interactive,4,1.75\n"), TraceFormat.AZURE_V1);
        assertEquals(4, vms.get(0).cores());
        assertEquals(7 * GIB / 4, vms.get(0).memoryBytes());
        assertEquals(17, vms.get(0).createdSeconds());
    }

    @Test
    void readsHuaweiCreateAndDelete() throws IOException {
        List<TraceVm> vms = TraceReader.read(write("h.csv", """
                vmid,cpu,memory,time,type
                7,4,16,10,0
                8,2,8,20,0
                7,4,16,500,1
                """), TraceFormat.HUAWEI);
        assertEquals(2, vms.size());
        assertEquals(OptionalLong.of(500), vms.get(0).deletedSeconds());
        assertEquals(16 * GIB, vms.get(0).memoryBytes());
        assertTrue(vms.get(1).deletedSeconds().isEmpty());
    }

    @Test
    void readsTheProjectsEventFile() throws IOException {
        List<TraceVm> vms = TraceReader.read(write("e.csv", """
                seconds,vm,event,mib,vcpus,snp
                0,g1,launch,8192,4,true
                60,g1,convert,64,,
                600,g1,destroy,,,
                5,l1,launch,4096,2,false
                """), TraceFormat.RMPOPT_EVENTS);
        assertEquals(2, vms.size());
        TraceVm g1 = vms.get(0);
        assertEquals(Optional.of(true), g1.snp());
        assertEquals(List.of(new TraceVm.Conversion(60, 64L << 20)), g1.conversions());
        assertEquals(OptionalLong.of(600), g1.deletedSeconds());
        assertEquals(Optional.of(false), vms.get(1).snp());
    }

    /** Each bad row names its file, line and column, and what is wrong. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            AZURE_V2 | a1,s,d,0,300,1,1,1,c,2,4\\na2,s,d,abc,300,1,1,1,c,2,4 | 2 | 8 | vmcreated: not a whole number: 'abc'
            AZURE_V2 | a1,s,d,0,300,1,1,1,c,2 | 1 | 23 | expected 11 columns
            AZURE_V2 | a1,s,d,10,300,1,1,1,c,2,4 | 1 | 8 | vmcreated: V2 times are multiples of 300 s, was 10
            AZURE_V2 | a1,s,d,0,300,1,1,1,c,2,huge | 1 | 24 | vmmemorybucket: not a bucket
            AZURE_V2 | a1,s,d,600,300,1,1,1,c,2,4 | 1 | 12 | vmdeleted: 300 comes before vmcreated 600
            AZURE_V2 | a1,s,d,0,300,1,1,1,c,2,4\\na1,s,d,0,300,1,1,1,c,2,4 | 2 | 1 | vmid: 'a1' appears twice
            AZURE_V2 | a1,s,d,0,300,NaN,1,1,c,2,4 | 1 | 14 | maxcpu: not a number: 'NaN'
            AZURE_V1 | a1,s,d,0,300,1,1,1,c,0,4 | 1 | 22 | vmcorecount: must be between 1 and
            AZURE_V1 | a1,s,d,0,300,1,1,1,c,2,-4 | 1 | 24 | vmmemory: must be >= 0, was -4
            AZURE_V1 | a1,s,d,0,300,1,1,1,c,2,0 | 1 | 24 | vmmemory: must be > 0, was 0
            HUAWEI | vmid,cpu,memory,time,type\\n1,2,4,10,1 | 2 | 1 | vmid: '1' is deleted before it is created
            HUAWEI | 1,2,4,10,0\\n1,2,4,5,1 | 2 | 7 | time: the delete at 5 comes before the create at 10
            HUAWEI | 1,2,4,10,3 | 1 | 10 | type: 0 (create) or 1 (delete), was 3
            HUAWEI | 1,2,4,10,0\\n1,2,4,20,0 | 2 | 1 | vmid: '1' is created twice
            RMPOPT_EVENTS | time,vm,event,mib,vcpus,snp | 1 | 1 | header: the first line is seconds,vm,event,mib,vcpus,snp
            RMPOPT_EVENTS | seconds,vm,event,mib,vcpus,snp\\n0,g,launch,8192,4,maybe | 2 | 19 | snp: true or false, was 'maybe'
            RMPOPT_EVENTS | seconds,vm,event,mib,vcpus,snp\\n0,g,destroy,,, | 2 | 3 | vm: 'g' is not launched before this destroy
            RMPOPT_EVENTS | seconds,vm,event,mib,vcpus,snp\\n0,g,reboot,,, | 2 | 5 | event: launch, convert or destroy, was 'reboot'
            AZURE_V2 | "a1,s,d,0,300 | 2 | 1 | not CSV
            """)
    void badRowsNameFileLineAndColumn(TraceFormat format, String text, long line, long column, String problem) throws IOException {
        Path file = write("bad.csv", text.replace("\\n", "\n") + "\n");
        TraceException e = assertThrows(TraceException.class, () -> TraceReader.read(file, format));
        assertEquals(line, e.line(), e.getMessage());
        if (!problem.equals("not CSV")) {
            assertEquals(column, e.column(), e.getMessage());
        }
        assertTrue(e.getMessage().startsWith(file + ":" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
