package dev.rmpopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job, seed 42, in full (a few minutes on two cores, so behind the {@code long} profile:
 * {@code mvn -B verify -pl rmp-cli -am -Plong -Dtest=MainJobTest -Dsurefire.failIfNoSpecifiedTests=false}):
 * {@code rmpopt simulate} and {@code rmpopt run scenarios/default.yaml} print the same summary, and
 * it is the summary the main job has printed since before scenario files (the two all-RAM rows
 * added, which equal the pass-range rows on a 2 TiB host).
 */
@Tag("long")
class MainJobTest {

    @TempDir
    Path dir;

    private static final List<String> SUMMARY = List.of(
            "Boot: SNP_INIT, RMPOPT_BASE on 512 cores, boot pass over 2048 regions: 2037 optimized, 1048576 RMPOPT instructions, "
                    + "2048 IPI rounds, modelled 256.7 ms, longest CPU interruption 2728.4 us",
            "Churn: 60 min simulated, a VM every 90 s living 1200 s on average, 8-128 GiB, 70% SNP, seed 42",
            "  placement                                 scatter              scatter                 pack                 pack",
            "  policy                                     v8-v10             targeted               v8-v10             targeted",
            "  VMs launched / destroyed                  28 / 19              28 / 19              28 / 19              28 / 19",
            "  launches refused (full)                         0                    0                    0                    0",
            "  passes after boot                              15                   15                   15                   15",
            "  regions won / lost                       0 / 2036             0 / 2036            316 / 448            284 / 290",
            "  RMPOPT instructions                    15,728,640           12,214,272           15,728,640              161,792",
            "  modelled pass time, total               4043.4 ms            3108.3 ms            3668.2 ms              47.6 ms",
            "  modelled pass time, longest              474.3 ms             405.7 ms             252.5 ms               9.2 ms",
            "  longest CPU interruption                1312.9 us            1312.9 us            2728.4 us            2728.4 us",
            "  follower time per pass, most             363.9 ms             311.2 ms              65.0 ms               3.5 ms",
            "  coverage, mean                               4.3%                 4.3%                93.2%                92.7%",
            "  coverage, at the end                         0.0%                 0.0%                92.7%                91.5%",
            "  coverage, lowest                             0.0%                 0.0%                86.0%                85.2%",
            "  all-RAM coverage, mean                       4.3%                 4.3%                93.2%                92.7%",
            "  all-RAM coverage, at the end                 0.0%                 0.0%                92.7%                91.5%",
            "  host-side writes skipped        0.0% of 1,335,096    0.0% of 1,335,096   81.3% of 1,335,096   53.1% of 1,335,096",
            "  SNP guest writes checked                  126,672              126,672              126,672              126,672",
            "  RMP faults                                      0                    0                    0                    0");

    @Test
    void simulateAndTheDefaultScenarioFilePrintTheMainJobsSummary() {
        SimulateCommandTest.Run simulate = SimulateCommandTest.run("simulate", "--quiet", "--out", dir.resolve("a").toString());
        assertEquals(0, simulate.status(), simulate.err());
        SimulateCommandTest.Run file = SimulateCommandTest.run("run", Path.of("..", "scenarios", "default.yaml").toString(), "--quiet",
                "--out", dir.resolve("b").toString());
        assertEquals(0, file.status(), file.err());
        assertEquals(SUMMARY, simulate.out().lines().toList().subList(0, SUMMARY.size()));
        assertEquals(SUMMARY, file.out().lines().toList().subList(0, SUMMARY.size()));
    }
}
