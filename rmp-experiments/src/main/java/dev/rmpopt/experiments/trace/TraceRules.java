package dev.rmpopt.experiments.trace;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How a fleet trace becomes one host's workload: the documented, seeded rules that the trace
 * itself says nothing of.
 *
 * <ul>
 *   <li><b>SNP guests.</b> A VM is an SNP guest if the trace says so (the project's event file);
 *   else if its category is in {@code snpCategories} or its subscription in
 *   {@code snpSubscriptions}; else with probability {@code snpShare}, decided by a draw seeded
 *   from {@code seed} and the VM's id alone, so the same VM is SNP in every run of the seed
 *   whatever else the trace holds.</li>
 *   <li><b>The window.</b> Only VMs alive in {@code [startSeconds, endSeconds)} of the trace are
 *   kept; one alive at the start is launched at time 0, one deleted after the end is still
 *   running when the run stops.</li>
 *   <li><b>The host.</b> The window's VMs are placed, in order of creation (ties in trace order),
 *   first-fit onto a fleet of hosts like the scenario's: each takes at most
 *   {@code fill} of the host's RAM in guest memory and one vCPU per host CPU; a VM that fits no
 *   existing host opens a new one. The run models host number {@code host} (0 is the first, and
 *   the fullest) of that fleet. A VM too large for an empty host is dropped and counted.</li>
 *   <li><b>Time.</b> A trace second is {@code timeScale} simulated seconds (0.1 plays ten times
 *   faster).</li>
 * </ul>
 *
 * @param snpShare         share of the other VMs that are SNP guests, 0 to 1
 * @param snpCategories    categories whose VMs are all SNP guests
 * @param snpSubscriptions subscriptions whose VMs are all SNP guests
 * @param seed             the seed of the SNP draw
 * @param startSeconds     start of the window, trace seconds
 * @param endSeconds       end of the window, trace seconds; empty for the trace's end
 * @param timeScale        simulated seconds per trace second, > 0
 * @param host             which host of the first-fit fleet, from 0
 * @param fill             share of a host's RAM first-fit fills with guest memory, (0, 1]
 */
public record TraceRules(double snpShare, Set<String> snpCategories, Set<String> snpSubscriptions, long seed,
                         long startSeconds, OptionalLong endSeconds, double timeScale, int host, double fill) {

    /** Validates and copies. */
    public TraceRules {
        snpCategories = Set.copyOf(snpCategories);
        snpSubscriptions = Set.copyOf(snpSubscriptions);
        Objects.requireNonNull(endSeconds, "endSeconds");
        if (!(snpShare >= 0 && snpShare <= 1)) {
            throw new IllegalArgumentException("the SNP share is between 0 and 1, not " + snpShare);
        }
        if (startSeconds < 0 || (endSeconds.isPresent() && endSeconds.getAsLong() <= startSeconds)) {
            throw new IllegalArgumentException("the window needs 0 <= start < end");
        }
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("the time scale is finite and > 0, not " + timeScale);
        }
        if (host < 0) {
            throw new IllegalArgumentException("the host is a number from 0, not " + host);
        }
        if (!(fill > 0 && fill <= 1)) {
            throw new IllegalArgumentException("the fill is in (0, 1], not " + fill);
        }
    }
}
