package dev.rmpopt.telemetry;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.kernel.PassJitter;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.PassShape;
import dev.rmpopt.kernel.PassTrigger;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class RmpoptMetersTest {

    static RmpTelemetry someActivity() {
        RmpTelemetry t = new RmpTelemetry(RmpTelemetryTest.HOST);
        t.onAccess(0, Accessor.HYPERVISOR, AccessKind.WRITE, 5 * GIB, MappingSize.SIZE_4K, AccessOutcome.SKIPPED);
        t.onAccess(1, Accessor.HYPERVISOR, AccessKind.WRITE, 5 * GIB, MappingSize.SIZE_4K, AccessOutcome.SKIPPED);
        t.onAccess(1, Accessor.HYPERVISOR, AccessKind.WRITE, 6 * GIB, MappingSize.SIZE_4K, AccessOutcome.CHECKED);
        t.onRmpopt(0, 5 * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS, RmpoptResult.CARRY_SET);
        t.observe(() -> {
            t.onRmpopt(0, 5 * GIB, RmpoptFunction.REPORT_STATUS, RmpoptResult.CARRY_SET);
            return null;
        });
        t.onOptimizationCleared(5, ClearCause.RMPUPDATE, 4);
        t.onPass(new PassRecord(1, PassTrigger.BOOT, PassShape.LEADER_THEN_FOLLOWERS, 0, 2_500_000, 8, 32, 8, 5, 5, 0, PassJitter.none(0)));
        int[] optimized = {0, 4, 0, 4, 4, 2, 4, 0};
        long[] assigned = {256, 0, 4352, 0, 0, 1, 0, 4352};
        t.recordCoverage(new CoverageSample(3_000_000_000L, optimized, assigned));
        return t;
    }

    @Test
    void prometheusScrapeHasTheMeters() {
        RmpTelemetry t = someActivity();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RmpoptMeters(t).bindTo(registry);
        String scrape = registry.scrape();
        Set<String> lines = scrape.lines().collect(Collectors.toSet());
        assertTrue(lines.contains("rmpopt_writes_total{outcome=\"skipped\"} 2.0"), scrape);
        assertTrue(lines.contains("rmpopt_writes_total{outcome=\"checked\"} 1.0"));
        assertTrue(lines.contains("rmpopt_writes_total{outcome=\"faulted\"} 0.0"));
        assertTrue(lines.contains("rmpopt_instructions_total{function=\"verify\",result=\"cf1\",source=\"workload\"} 1.0"));
        assertTrue(lines.contains("rmpopt_instructions_total{function=\"report\",result=\"cf1\",source=\"observer\"} 1.0"));
        assertTrue(lines.contains("rmpopt_instructions_total{function=\"report\",result=\"cf1\",source=\"workload\"} 0.0"));
        assertTrue(lines.contains("rmpopt_clears_total{cause=\"rmpupdate\"} 1.0"));
        assertTrue(lines.contains("rmpopt_clears_tables_total{cause=\"rmpupdate\"} 4.0"));
        assertTrue(lines.contains("rmpopt_pass_modeled_seconds_count{trigger=\"boot\"} 1"));
        assertTrue(lines.contains("rmpopt_pass_modeled_seconds_sum{trigger=\"boot\"} 0.0025"));
        assertTrue(lines.contains("rmpopt_pass_instructions_total{trigger=\"boot\"} 32.0"));
        assertTrue(lines.contains("rmpopt_pass_ipi_rounds_total{trigger=\"boot\"} 8.0"));
        assertTrue(lines.contains("rmpopt_coverage_regions{cores=\"all\"} 4.0"));
        assertTrue(lines.contains("rmpopt_coverage_regions{cores=\"any\"} 5.0"));
        assertTrue(lines.contains("rmpopt_coverage_assigned_pages 8961.0"));
        assertTrue(lines.contains("rmpopt_coverage_sample_time_seconds 3.0"));
        assertTrue(lines.contains("rmpopt_regions 8.0"));
        assertTrue(scrape.contains("# HELP rmpopt_writes_total Host-side writes"));
    }

    @Test
    void metersFollowTheCountersWithoutRebinding() {
        RmpTelemetry t = someActivity();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RmpoptMeters(t).bindTo(registry);
        assertEquals(2.0, registry.get("rmpopt.writes").tag("outcome", "skipped").functionCounter().count());
        t.onAccess(2, Accessor.HYPERVISOR, AccessKind.WRITE, 1 * GIB, MappingSize.SIZE_4K, AccessOutcome.SKIPPED);
        assertEquals(3.0, registry.get("rmpopt.writes").tag("outcome", "skipped").functionCounter().count());
    }

    @Test
    void theMetersAreRegisteredInJmx() throws Exception {
        RmpTelemetry t = someActivity();
        JmxMeterRegistry registry = new JmxMeterRegistry(JmxConfig.DEFAULT, Clock.SYSTEM);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            new RmpoptMeters(t).bindTo(registry);
            Set<ObjectName> names = server.queryNames(new ObjectName("metrics:name=rmpoptWrites.outcome.skipped,*"), null);
            ObjectName all = new ObjectName("metrics:*");
            assertEquals(1, names.size(), () -> "MBeans: " + server.queryNames(all, null));
            ObjectName skipped = names.iterator().next();
            assertEquals(2L, ((Number) server.getAttribute(skipped, "Count")).longValue());
        } finally {
            registry.close();
        }
        assertTrue(server.queryNames(new ObjectName("metrics:name=rmpoptWrites*,*"), null).isEmpty(), "closing unregisters");
    }

    @Test
    void everyMeterIsDocumentedInTheReadmeAndEveryDocumentedMeterExists() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RmpoptMeters(someActivity()).bindTo(registry);
        Set<String> registered = registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        String readme = Files.readString(Path.of("README.md"));
        Set<String> documented = readme.lines().filter(l -> l.startsWith("| `rmpopt."))
                .map(l -> l.substring(3, l.indexOf('`', 3))).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(registered.isEmpty());
        assertEquals(registered, documented);
    }
}
