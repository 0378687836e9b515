package dev.rmpopt.fleet;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trace workloads through rmp-experiments' readers: the whole trace is the fleet's, bad rows stop everything. */
class TraceWorkloadTest {

    @TempDir
    Path dir;

    /** An Azure V2 VM table the project writes itself, in exactly that schema (no header, times in multiples of 300). */
    static final String AZURE_V2 = """
            a1,s1,d1,0,3600,90.5,10.2,80.1,Delay-insensitive,2,4
            a2,s2,d2,300,,99.0,20.0,95.0,Interactive,>24,>64
            a3,s1,d3,600,1200,50,5,40,Unknown,8,32
            a4,s3,d4,900,1500,50,5,40,Unknown,4,8
            a5,s3,d5,7200,9000,50,5,40,Unknown,4,8
            """;

    String fleet(String trace, String format) {
        return Fleets.small(dir.resolve("out")).replaceAll("(?s)  synthetic:.*?snpFraction: 0.5\n",
                "  trace: {file: " + trace + ", format: " + format + ", snpFraction: 0.5, timeScale: 0.1}\n");
    }

    @Test
    void anAzureV2TraceIsTheFleetsWorkload() throws Exception {
        Files.writeString(dir.resolve("v2.csv"), AZURE_V2);
        FleetSpec spec = FleetFile.parse("t.yaml", fleet("v2.csv", "azure-v2"), dir);
        FleetPlan plan = FleetPlan.of(spec);
        // 5 minutes simulated at a trace second per 0.1 s: trace seconds [0, 3000); a5 (7200 s) is outside
        assertEquals(List.of("a1", "a2", "a3", "a4"), plan.vms().stream().map(FleetVm::name).toList());
        FleetVm a3 = plan.vms().get(2);
        assertEquals(60 * SECOND, a3.arrivalNanos());
        assertEquals(120 * SECOND, a3.departureNanos());
        assertEquals(32 * GIB, a3.memoryBytes());
        assertEquals(8, a3.vcpus());
        assertEquals(128 * GIB, plan.vms().get(1).memoryBytes(), "the open top bucket >64 GB is 128 GiB");
        assertEquals(Long.MAX_VALUE, plan.vms().get(1).departureNanos(), "no vmdeleted: it outlives the trace");
        FleetAssignment aware = plan.assignments().get(0);
        assertEquals(List.of("a2", "a3"), aware.refused().stream().map(FleetVm::name).toList(),
                "128 GiB fits no host; nor do 32 GiB, as a 32 GiB host holds less in guests (MMIO hole, RMP, firmware)");
        assertEquals(plan.vms(), FleetPlan.of(spec).vms(), "the same SNP picks for the seed");
    }

    @Test
    void theProjectsEventFileSaysWhichGuestsAreSnp() throws Exception {
        Files.writeString(dir.resolve("events.csv"), """
                seconds,vm,event,mib,vcpus,snp
                0,web,launch,2048,2,true
                10,db,launch,4096,4,false
                20,web,convert,64,,
                600,web,destroy,,,
                """);
        FleetPlan plan = FleetPlan.of(FleetFile.parse("t.yaml", fleet("events.csv", "rmpopt-events"), dir));
        assertEquals(List.of("web", "db"), plan.vms().stream().map(FleetVm::name).toList());
        assertTrue(plan.vms().get(0).snp());
        assertTrue(!plan.vms().get(1).snp());
        assertEquals(60 * SECOND, plan.vms().get(0).departureNanos());
    }

    @Test
    void aBadRowIsAnErrorNamingFileLineAndColumnBeforeAnythingRuns() throws Exception {
        Path trace = dir.resolve("v2.csv");
        Files.writeString(trace, AZURE_V2.replace("a3,s1,d3,600", "a3,s1,d3,six hundred"));
        FleetSpec spec = FleetFile.parse("t.yaml", fleet("v2.csv", "azure-v2"), dir);
        FleetFileException e = assertThrows(FleetFileException.class, () -> FleetPlan.of(spec));
        assertTrue(e.getMessage().startsWith(trace + ":3:"), e.getMessage());
    }

    @Test
    void anUnknownFormatIsNamedWithTheKnownOnes() throws Exception {
        Files.writeString(dir.resolve("v2.csv"), AZURE_V2);
        FleetFileException e = assertThrows(FleetFileException.class,
                () -> FleetFile.parse("t.yaml", fleet("v2.csv", "azure-v3"), dir));
        assertTrue(e.getMessage().contains("workload.trace.format: is one of azure-v1, azure-v2, huawei, rmpopt-events, not 'azure-v3'"),
                e.getMessage());
    }
}
