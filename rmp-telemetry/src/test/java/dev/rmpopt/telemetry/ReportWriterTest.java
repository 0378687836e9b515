package dev.rmpopt.telemetry;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.PassTrigger;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report and the JSON snapshot of a short run on the small reference host. */
class ReportWriterTest {

    static TelemetrySnapshot snapshot;

    @BeforeAll
    static void run() {
        KernelHost host = new KernelHost(CoverageSamplerTest.HOST).booted();
        SnpMachine machine = host.machine;
        CoverageSampler sampler = host.sampler;
        sampler.sample(0);
        machine.write(0, Accessor.HYPERVISOR, 5 * GIB, MappingSize.SIZE_4K);
        machine.rmpUpdate(5 * GIB, RmpState.guestPrivate(1, 0, PageSize.SIZE_2M, false));
        machine.write(1, Accessor.HYPERVISOR, 5 * GIB, MappingSize.SIZE_4K);
        machine.write(2, Accessor.HYPERVISOR, 6 * GIB, MappingSize.SIZE_4K);
        host.at(1_000_000_000L);
        sampler.sample(host.scheduler.now());
        machine.rmpUpdate(5 * GIB, RmpState.shared(PageSize.SIZE_2M));
        host.at(2_000_000_000L);
        host.kernel.requestManualPass();
        sampler.sample(host.scheduler.now());
        snapshot = host.telemetry.snapshot(host.scheduler.now());
    }

    @Test
    void writesBothFiles(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report");
        ReportWriter.write(out, snapshot);
        assertTrue(Files.size(out.resolve("report.html")) > 0);
        assertTrue(Files.size(out.resolve("telemetry.json")) > 0);
    }

    @Test
    void theHtmlIsSelfContained() {
        String html = new HtmlReport(snapshot).render();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("http://"), "no network reference");
        assertFalse(html.contains("https://"), "no network reference");
        assertFalse(Pattern.compile("\\s(src|href)=").matcher(html).find(), "no external resource");
        assertFalse(html.contains("@import"));
    }

    @Test
    void theHtmlHasAHeatMapCellPerRegionCoverageAndPasses() {
        String html = new HtmlReport(snapshot).render();
        Matcher cells = Pattern.compile("<rect data-r=\"(\\d+)\"[^>]*fill=\"(#[0-9a-f]{6})\"").matcher(html);
        int count = 0;
        int never = 0;
        while (cells.find()) {
            count++;
            int region = Integer.parseInt(cells.group(1));
            if (region == 0 || region == 2 || region == 7) {
                assertEquals("#4d4d4d", cells.group(2), "region " + region + " holds RMP or firmware pages");
                never++;
            }
        }
        assertEquals(3 * 8, count, "three maps of 8 regions");
        assertEquals(3 * 3, never);
        assertTrue(html.contains("Coverage over time"));
        assertTrue(html.contains("<polyline"));
        assertTrue(html.contains("<td>manual</td>"), "the pass totals by trigger");
        assertTrue(html.contains("const REGIONS=[[0,256,"), "region 0: no core, the firmware's 256 pages");
    }

    @Test
    void theJsonHoldsEveryCounterAndItsPartsAddUp() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReportWriter.writeJson(bytes, snapshot);
        JsonNode json = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        assertEquals(8, json.at("/host/regionCount").asLong());
        assertEquals("[0,2,7]", json.at("/host/neverOptimizableRegions").toString());
        assertEquals(0, json.at("/host/passRange/first").asLong());
        // Region 5 before the guest page and region 6 skip; the write to the guest page faults.
        assertEquals(2, json.at("/writes/SKIPPED/total").asLong());
        assertEquals(1, json.at("/writes/SKIPPED/byRegion/5").asLong());
        assertEquals(1, json.at("/writes/SKIPPED/byRegion/6").asLong());
        assertEquals(1, json.at("/writes/FAULTED/byRegion/5").asLong());
        assertEquals(1, json.at("/writes/FAULTED/byCore/1").asLong());
        assertEquals(0, json.at("/writes/CHECKED/total").asLong());
        assertEquals("BOOT", json.at("/passes/0/trigger").asText());
        assertEquals("MANUAL", json.at("/passes/1/trigger").asText());
        assertEquals(1, json.at("/passTotals/MANUAL/passes").asLong());
        assertEquals(3, json.at("/coverage").size());
        assertEquals(512, json.at("/coverage/1/assignedPages/5").asLong());
        assertEquals(1, json.at("/clears/RMPUPDATE/events/byRegion/5").asLong());
        assertEquals(2, json.at("/rmpUpdates/SUCCESS").asLong());

        int series = 0;
        for (String group : new String[] {"writes", "rmpopt"}) {
            for (Iterator<Map.Entry<String, JsonNode>> it = json.get(group).fields(); it.hasNext(); ) {
                JsonNode s = it.next().getValue();
                assertEquals(s.get("total").asLong(), sum(s.get("byRegion")) + s.get("beyondRam").asLong());
                assertEquals(s.get("total").asLong(), sum(s.get("byCore")));
                series++;
            }
        }
        assertEquals(4 + 6, series);
    }

    private static long sum(JsonNode array) {
        long sum = 0;
        for (JsonNode n : array) {
            sum += n.asLong();
        }
        return sum;
    }
}
