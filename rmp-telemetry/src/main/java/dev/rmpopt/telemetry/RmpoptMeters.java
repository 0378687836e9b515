package dev.rmpopt.telemetry;

import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.kernel.PassTrigger;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds an {@link RmpTelemetry}'s totals to a Micrometer {@link MeterRegistry}: a Prometheus
 * registry for the text format, a JMX registry for JConsole, or any other. The meters read the
 * counters when the registry asks, so binding costs the event path nothing. Names and tags are
 * listed in the module README; per-region and per-core splits are left to the JSON snapshot, since
 * thousands of time series per host would swamp a metrics system.
 *
 * <p>As everywhere in Micrometer, the meters hold the telemetry weakly: keep a reference to it (the
 * machine it listens to does) for as long as the registry is scraped.
 */
public final class RmpoptMeters implements MeterBinder {

    private final RmpTelemetry telemetry;

    /** Meters for {@code telemetry}. */
    public RmpoptMeters(RmpTelemetry telemetry) {
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (WriteOutcome o : WriteOutcome.values()) {
            counter("rmpopt.writes", "Host-side writes (hypervisor, non-SNP guests) by outcome (model §5)",
                    t -> t.writes(o)).tag("outcome", tag(o)).register(registry);
        }
        for (WriteOutcome o : WriteOutcome.values()) {
            counter("rmpopt.guest.writes", "SNP guests' own writes by outcome, always checked (model §5)",
                    t -> t.snpGuestWrites(o)).tag("outcome", tag(o)).register(registry);
        }
        for (RmpoptOutcome o : RmpoptOutcome.values()) {
            String function = o.isVerify() ? "verify" : "report";
            String result = switch (o) {
                case VERIFY_WON, REPORT_SET -> "cf1";
                case VERIFY_FAILED, REPORT_CLEAR -> "cf0";
                case VERIFY_UD, REPORT_UD -> "ud";
            };
            counter("rmpopt.instructions", "RMPOPT instructions by function and result (model §4)", t -> t.rmpopt(o))
                    .tags("function", function, "result", result, "source", "workload").register(registry);
            counter("rmpopt.instructions", "RMPOPT instructions by function and result (model §4)",
                    t -> t.observerRmpopt(o))
                    .tags("function", function, "result", result, "source", "observer").register(registry);
        }
        for (ClearCause cause : ClearCause.values()) {
            counter("rmpopt.clears", "Events that cleared one region's RMPOPT bit, by cause (model §4)",
                    t -> t.clears(cause)).tag("cause", tag(cause)).register(registry);
            counter("rmpopt.clears.tables", "Per-core tables whose bit a clear event cleared, by cause",
                    t -> t.tablesCleared(cause)).tag("cause", tag(cause)).register(registry);
            counter("rmpopt.tables.reset", "Clears of every table at once (SNP_INIT), by cause",
                    t -> t.allTablesCleared(cause)).tag("cause", tag(cause)).register(registry);
        }
        counter("rmpopt.base.writes", "RMPOPT_BASE writes that took effect, each resetting its core's table",
                RmpTelemetry::rmpoptBaseWrites).register(registry);
        for (RmpReturnCode code : RmpReturnCode.values()) {
            counter("rmpopt.rmpupdates", "RMPUPDATE instructions by return code", t -> t.rmpUpdates(code))
                    .tag("result", tag(code)).register(registry);
            counter("rmpopt.psmashes", "PSMASH instructions by return code", t -> t.psmashes(code))
                    .tag("result", tag(code)).register(registry);
        }
        for (PassTrigger trigger : PassTrigger.values()) {
            String tr = tag(trigger);
            FunctionTimer.builder("rmpopt.pass.modeled", telemetry, t -> t.passTotals(trigger).passes(),
                            t -> t.passTotals(trigger).modeledNanos(), TimeUnit.NANOSECONDS)
                    .description("RMPOPT passes and their modelled duration (model §7, §8)").tag("trigger", tr).register(registry);
            passCounter(registry, "rmpopt.pass.regions", "Regions covered by passes", trigger, PassTotals::regions);
            passCounter(registry, "rmpopt.pass.instructions", "VERIFY instructions run by passes", trigger, PassTotals::rmpoptInstructions);
            passCounter(registry, "rmpopt.pass.ipi.rounds", "Follower IPI rounds run by passes", trigger, PassTotals::ipiRounds);
            passCounter(registry, "rmpopt.pass.regions.won", "Regions passes optimized that were not before", trigger, PassTotals::regionsWon);
            passCounter(registry, "rmpopt.pass.regions.lost", "Regions that lost their optimization between passes", trigger, PassTotals::regionsLost);
        }
        bindJitter(registry);
        int cores = telemetry.host().topology().coreCount();
        gauge("rmpopt.coverage.regions", "Regions optimized on every core, at the latest coverage sample",
                t -> sampled(t, s -> s.regionsOptimizedOnAtLeast(cores))).tag("cores", "all").register(registry);
        gauge("rmpopt.coverage.regions", "Regions optimized on at least one core, at the latest coverage sample",
                t -> sampled(t, s -> s.regionsOptimizedOnAtLeast(1))).tag("cores", "any").register(registry);
        gauge("rmpopt.coverage.assigned.pages", "Assigned 4 KiB pages, at the latest coverage sample",
                t -> sampled(t, CoverageSample::assignedPagesTotal)).register(registry);
        gauge("rmpopt.coverage.sample.time", "Simulated time of the latest coverage sample",
                t -> sampled(t, s -> s.timeNanos() / 1e9)).baseUnit("seconds").register(registry);
        gauge("rmpopt.regions", "1 GiB regions from 0 to the top of RAM", t -> t.host().regionCount())
                .register(registry);
    }

    /**
     * Per pass, how long CPUs were taken from their work (model §8.4), as distributions over passes:
     * the issuer's time (the pass's duration) and longest iteration, and the most any target lost
     * and its longest single interruption. Timers that hear every pass, past ones included.
     */
    private void bindJitter(MeterRegistry registry) {
        Timer issuerStolen = jitterTimer(registry, "rmpopt.pass.cpu.stolen", "CPU time one pass took from one CPU (model §8.4)", "issuer");
        Timer targetStolen = jitterTimer(registry, "rmpopt.pass.cpu.stolen", "CPU time one pass took from one CPU (model §8.4)", "target");
        Timer issuerLongest = jitterTimer(registry, "rmpopt.pass.cpu.interruption",
                "Longest single interruption of one CPU by one pass (model §8.4)", "issuer");
        Timer targetLongest = jitterTimer(registry, "rmpopt.pass.cpu.interruption",
                "Longest single interruption of one CPU by one pass (model §8.4)", "target");
        telemetry.observePasses(pass -> {
            issuerStolen.record(Duration.ofNanos(pass.jitter().issuerStolenNanos()));
            issuerLongest.record(Duration.ofNanos(pass.jitter().issuerLongestNanos()));
            if (pass.jitter().targets() > 0) {
                targetStolen.record(Duration.ofNanos(pass.jitter().worstTargetStolenNanos()));
                targetLongest.record(Duration.ofNanos(pass.jitter().targetLongestNanos()));
            }
        });
    }

    private static Timer jitterTimer(MeterRegistry registry, String name, String description, String role) {
        return Timer.builder(name).description(description).tag("role", role).register(registry);
    }

    private FunctionCounter.Builder<RmpTelemetry> counter(String name, String description, ToLongFunction<RmpTelemetry> value) {
        return FunctionCounter.builder(name, telemetry, t -> value.applyAsLong(t)).description(description);
    }

    private void passCounter(MeterRegistry registry, String name, String description, PassTrigger trigger,
                             ToLongFunction<PassTotals> value) {
        counter(name, description, t -> value.applyAsLong(t.passTotals(trigger)))
                .tag("trigger", tag(trigger)).register(registry);
    }

    private Gauge.Builder<RmpTelemetry> gauge(String name, String description, ToDoubleFunction<RmpTelemetry> value) {
        return Gauge.builder(name, telemetry, value).description(description);
    }

    /** A figure of the latest sample, or NaN (no value) before the first. */
    private static double sampled(RmpTelemetry t, ToDoubleFunction<CoverageSample> figure) {
        CoverageSample s = t.latestCoverage();
        return s == null ? Double.NaN : figure.applyAsDouble(s);
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
