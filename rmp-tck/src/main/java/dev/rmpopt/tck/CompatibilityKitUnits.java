package dev.rmpopt.tck;

import dev.rmpopt.api.ClearPolicy;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.SnpMachine;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The kit as one test per exploration, for mutation testing: where {@link RmpMachineCompatibilityKit}
 * runs each exploration once and reports it rule by rule (so that a failure names its rule), here
 * every test runs its exploration afresh and fails if any rule broke, the optional exact-bits rule
 * included. A mutation tool (PIT) that runs one test per mutant then sees every rule of that
 * exploration, and nothing is cached from one test to the next. The units explore what the kit
 * explores for a backend declaring every {@link Capability} (FAIL_INUSE allowed in half the trials:
 * a backend that never returns it still conforms). Subclass it as you subclass the kit; run it with
 * a reduced budget ({@code -Drmpopt.tck.budget=0.15}).
 */
public abstract class CompatibilityKitUnits {

    /** Creates the units; subclasses supply machines through {@link #newMachine}. */
    protected CompatibilityKitUnits() {
    }

    /** A new machine of the backend under test in its power-on state (see {@link RmpMachineCompatibilityKit#newMachine}). */
    protected abstract SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener);

    /** A new machine that calls {@code probe} at its interleaving points (see {@link RmpMachineCompatibilityKit#newMachine(HostDescription, ModelOptions, RmpEventListener, InterleavingProbe)}). */
    protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
        return newMachine(host, options, listener);
    }

    /** The default options' exploration. */
    @Test
    @DisplayName("every rule holds with the default options")
    public void defaultsExploration() {
        sequential(ModelOptions.DEFAULTS, TckSettings.SEQUENTIAL_TRIALS);
    }

    /** The per-logical-CPU tables' exploration. */
    @Test
    @DisplayName("every rule holds with one table per logical CPU")
    public void perLogicalCpuExploration() {
        sequential(ModelOptions.DEFAULTS.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU), TckSettings.OPTIONAL_TRIALS);
    }

    /** The ASSIGN_ONLY clear policy's exploration. */
    @Test
    @DisplayName("every rule holds with the ASSIGN_ONLY clear policy")
    public void assignOnlyExploration() {
        sequential(ModelOptions.DEFAULTS.withClearPolicy(ClearPolicy.ASSIGN_ONLY), TckSettings.OPTIONAL_TRIALS);
    }

    /** The concurrent exploration. */
    @Test
    @DisplayName("model §6 holds under concurrency")
    public void concurrentExploration() {
        Verdicts v = new ConcurrentExploration(this::newMachine, TckSettings.fromEnvironment()).explore(ModelOptions.DEFAULTS.withFailInUse(true));
        v.report(Rule.CONCURRENT).ifPresent(Assertions::fail);
    }

    /** The interleaving exploration; its optional exact-bits rule fails the unit too. */
    @Test
    @DisplayName("model §6.1 holds under chosen interleavings")
    public void interleavingExploration() {
        Verdicts v = new InterleavingExploration(this::newMachine, TckSettings.fromEnvironment()).explore(List.of(
                ModelOptions.DEFAULTS.withFailInUse(true),
                ModelOptions.DEFAULTS.withClearPolicy(ClearPolicy.ASSIGN_ONLY).withFailInUse(true),
                ModelOptions.DEFAULTS.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU).withFailInUse(true)));
        v.report(Rule.INTERLEAVING).ifPresent(Assertions::fail);
        v.report(Rule.EXACT_BITS).ifPresent(Assertions::fail);
    }

    private void sequential(ModelOptions options, int trials) {
        Verdicts v = new Exploration(this::newMachine, TckSettings.fromEnvironment())
                .explore(options.tableScope() + "/" + options.clearPolicy(), options.withFailInUse(true), trials);
        v.anyReport().ifPresent(Assertions::fail);
        v.report(Rule.EXACT_BITS).ifPresent(Assertions::fail);
    }
}
