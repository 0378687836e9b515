package dev.rmpopt.tck;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;

import java.util.SplittableRandom;

/**
 * Everything one trial draws from its seed before the first step: the host, the options and the
 * hot addresses. The steps follow from the same random source, so the seed alone replays a trial.
 *
 * @param seed    the trial's seed
 * @param host    the host
 * @param options the model options
 * @param hot     the addresses the steps use
 * @param random  the random source, positioned after the draws above
 */
record Scenario(long seed, HostDescription host, ModelOptions options, HotAddresses hot, SplittableRandom random) {

    /**
     * Whether the trial of {@code seed} runs with {@link ModelOptions#failInUse()} on, when its base
     * allows it: half the trials, from a bit of the seed, so that the seed alone replays it and the
     * other draws stay as they were.
     */
    static boolean failInUseTrial(long seed, ModelOptions base) {
        return base.failInUse() && ((seed >>> 29) & 1) == 0;
    }

    /**
     * The scenario of {@code seed} with the table scope and clear policy of {@code base} and a random
     * window; with {@code base.failInUse()} half the trials turn the option on ({@link #failInUseTrial}).
     */
    static Scenario draw(long seed, ModelOptions base) {
        SplittableRandom r = new SplittableRandom(seed);
        HostDescription host = HostGen.hosts().next(r);
        // Mostly 1-8 GiB windows, so that the window's end falls inside small hosts (model §4 [M] window
        // size); now and then the hardware's 2 TiB, whose end falls inside the large hosts.
        long window = r.nextInt(5) == 0 ? ModelOptions.DEFAULT_WINDOW_BYTES : (1 + r.nextInt(8)) * Geometry.GIB;
        // Half the trials start with SnpEn set (model §4.2 [M] option: the kernel set it at boot, or a
        // kexec left it set), so RMPOPT before the first SNP_INIT is reached; the others need SNP_INIT first.
        boolean snpOn = r.nextBoolean() || base.snpEnabledAtPowerOn();
        ModelOptions options = base.withWindowBytes(window).withSnpEnabledAtPowerOn(snpOn).withFailInUse(failInUseTrial(seed, base));
        HotAddresses hot = HotAddresses.of(host, r);
        return new Scenario(seed, host, options, hot, r);
    }

    /** Counts the kind of host and window this trial runs on. */
    void countCoverage(Coverage coverage) {
        if (host.topology().coreCount() > 64) {
            coverage.count(Coverage.WIDE_HOST);
        }
        if (host.ramEnd() > 8 * Geometry.TIB) {
            coverage.count(Coverage.HIGH_RAM_HOST);
        }
        if (host.topology().numaNodesPerSocket() > 1) {
            coverage.count(Coverage.MULTI_NODE_HOST);
        }
        if (options.windowBytes() == ModelOptions.DEFAULT_WINDOW_BYTES) {
            coverage.count(Coverage.DEFAULT_WINDOW);
        }
    }

    /** The host and options for a report. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("host: ").append(host.topology()).append("; RAM");
        host.ram().forEach(r -> sb.append(' ').append(r.range()));
        sb.append("; RMP");
        host.rmpTable().forEach(r -> sb.append(' ').append(r));
        if (!host.firmwarePages().isEmpty()) {
            sb.append("; firmware pages");
            host.firmwarePages().forEach(r -> sb.append(' ').append(r));
        }
        if (!host.hvFixedPages().isEmpty()) {
            sb.append("; HV-fixed");
            host.hvFixedPages().forEach(r -> sb.append(' ').append(r));
        }
        sb.append(host.segmentedRmp() ? "; segmented RMP" : "; no segmented RMP");
        sb.append("\n  options: window ").append(options.windowBytes() >> 30).append(" GiB, ")
                .append(options.tableScope()).append(", ").append(options.clearPolicy())
                .append(options.snpEnabledAtPowerOn() ? ", SnpEn set at power-on" : ", SnpEn clear at power-on")
                .append(options.failInUse() ? ", FAIL_INUSE allowed" : "");
        return sb.toString();
    }
}
