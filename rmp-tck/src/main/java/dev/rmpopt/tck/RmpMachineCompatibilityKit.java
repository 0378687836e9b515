package dev.rmpopt.tck;

import dev.rmpopt.api.ClearPolicy;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.SnpMachine;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The compatibility kit for {@link SnpMachine} backends: the model's rules as JUnit Jupiter tests.
 * A backend's test subclasses it and supplies machines:
 *
 * <pre>{@code
 * class MyBackendCompatibilityTest extends RmpMachineCompatibilityKit {
 *     protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
 *         return new MyMachine(host, options, listener);
 *     }
 * }
 * }</pre>
 *
 * <p>Each test names a rule: {@code required_} rules must hold; {@code optional_} rules that fail,
 * or need a {@link Capability} the backend does not declare, are reported as skipped with the
 * reason. The rules are checked by random stateful sequences on small random hosts (model §4 and §5
 * operations of every kind, bad input included), each step compared with the kit's own model and
 * followed by the model §6 invariants, and by threads acting as CPUs (model §6 "under concurrent
 * operations"). A failure prints the first rule that broke, the seed that replays it
 * ({@code -Drmpopt.tck.seed=...} or {@code RMPOPT_TCK_SEED}), a shrunk sequence of steps and where
 * to look; an exploration stops at its first broken rule and reports the rules it could not verify
 * as skipped, with the reason. The default run uses a fixed, printed seed set;
 * {@code -Drmpopt.tck.seeds=fresh} draws fresh ones, and {@code -Drmpopt.tck.depth=N} explores N
 * times more.
 *
 * <p>The explorations run once per subclass instance (the class uses
 * {@link TestInstance.Lifecycle#PER_CLASS}) and each rule's test reports its part of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RmpMachineCompatibilityKit {

    private final TckSettings settings = TckSettings.fromEnvironment();
    private Verdicts defaults;
    private Verdicts perLogicalCpu;
    private Verdicts assignOnly;
    private Verdicts concurrent;
    private Verdicts interleaving;

    /** Creates the kit; subclasses supply machines through {@link #newMachine}. */
    protected RmpMachineCompatibilityKit() {
    }

    /**
     * A new machine of the backend under test in its power-on state (see
     * {@link dev.rmpopt.api.RmpBackendProvider#create}). Called many times, once per random trial.
     *
     * @param host     a small random host
     * @param options  the options to honour
     * @param listener must receive every event of the machine
     */
    protected abstract SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener);

    /**
     * A new machine as {@link #newMachine(HostDescription, ModelOptions, RmpEventListener)} makes, that
     * also calls {@code probe} at its interleaving points (see {@link InterleavingProbe}), for the
     * interleaving rule. The default ignores the probe, which leaves that rule not verified; a backend
     * with such points overrides this, for example with
     * {@link dev.rmpopt.api.RmpBackendProvider#create(HostDescription, ModelOptions, RmpEventListener, InterleavingProbe)}.
     */
    protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
        return newMachine(host, options, listener);
    }

    /** The optional capabilities the backend supports; all of them unless overridden. */
    protected Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    // ------------------------------------------------------------------ required rules, model §6

    /** model §6 I1: a set bit means the region holds no assigned entry. */
    @Test
    @DisplayName("I1: a core's RMPOPT bit is set only for a region that holds no assigned page")
    public void required_I1_bitImpliesRegionHoldsNoAssignedPage() {
        required(Rule.I1);
    }

    /** model §6 I2: skipping never changes a write's outcome; a write to an assigned page always faults. */
    @Test
    @DisplayName("I2: skipping the RMP check never changes whether a host-side write is allowed")
    public void required_I2_skippingNeverChangesAWriteOutcome() {
        required(Rule.I2);
    }

    /** model §6 I3: an assigning RMPUPDATE has cleared its region on every core when it returns. */
    @Test
    @DisplayName("I3: an RMPUPDATE that assigns a page has cleared its region's bit on every core when it returns")
    public void required_I3_assigningRmpupdateClearsTheRegionOnEveryCore() {
        required(Rule.I3);
    }

    /** model §6 I4: VERIFY of a clean region sets exactly the verifying core's bit (shared by its SMT sibling). */
    @Test
    @DisplayName("I4: VERIFY of a clean region in the window sets the bit of the verifying core's table and of no other")
    public void required_I4_verifySetsTheBitOfTheVerifyingCoreOnly() {
        required(Rule.I4);
    }

    /** model §6 I5: SNP_INIT leaves every bit clear. */
    @Test
    @DisplayName("I5: every SNP_INIT, the first and each after SNP_SHUTDOWN, leaves every bit clear")
    public void required_I5_snpInitLeavesEveryBitClear() {
        required(Rule.I5);
    }

    /** model §6 I6: entries stay consistent. */
    @Test
    @DisplayName("I6: RMP entries stay consistent, and a 2M entry agrees with its 512 pages")
    public void required_I6_entriesStayConsistent() {
        required(Rule.I6);
    }

    /** model §4 and its [M] rules: every instruction and firmware command returns the specified result. */
    @Test
    @DisplayName("model §4: every instruction and firmware command returns the specified result and leaves the specified entries")
    public void required_S4_instructionsReturnTheSpecifiedResults() {
        required(Rule.S4_RESULTS);
    }

    /** model §5: reads, SNP guests' accesses and fault codes. */
    @Test
    @DisplayName("model §5: reads are unchecked, SNP guests are always checked, and faults carry the specified codes")
    public void required_S5_accessesAreCheckedAsSpecified() {
        required(Rule.S5_ACCESSES);
    }

    /** The RmpEventListener contract: every event, its arguments, table counts and order. */
    @Test
    @DisplayName("SPI: the listener hears every operation once, every clear with its table count, and SNP_INIT and SNP_SHUTDOWN")
    public void required_SPI_listenerHearsEveryEventAsSpecified() {
        required(Rule.SPI_EVENTS);
    }

    /** The SnpMachine contract for arguments outside it. */
    @Test
    @DisplayName("SPI: null, negative-address and missing-CPU arguments are refused with the specified exception and change nothing")
    public void required_SPI_outOfContractArgumentsAreRefusedWithoutEffect() {
        required(Rule.OUT_OF_CONTRACT);
    }

    /** model §6 I1 and I2 with threads acting as CPUs. */
    @Test
    @DisplayName("model §6 under concurrency: CPUs racing on shared regions never skip a check on assigned memory")
    public void required_I1_I2_concurrentCpusNeverSkipACheckOnAssignedMemory() {
        Assumptions.assumeTrue(capabilities().contains(Capability.CONCURRENT_CPUS),
                "the backend does not declare CONCURRENT_CPUS, which SnpMachine's contract requires: not verified");
        if (concurrent == null) {
            concurrent = new ConcurrentExploration(this::newMachine, settings).explore(withFailInUse(ModelOptions.DEFAULTS));
            summary("concurrent CPUs", concurrent);
        }
        concurrent.report(Rule.CONCURRENT).ifPresent(Assertions::fail);
        concurrent.notVerifiedReason(Rule.CONCURRENT).ifPresent(Assumptions::abort);
    }

    /** model §6.1: operations parked at the backend's interleaving points while another CPU runs a whole operation. */
    @Test
    @DisplayName("model §6.1 under chosen interleavings: an operation parked inside its race window still takes effect at one instant")
    public void required_I1_I2_interleavedOperationsTakeEffectAtOneInstant() {
        Assumptions.assumeTrue(capabilities().contains(Capability.CONCURRENT_CPUS),
                "the backend does not declare CONCURRENT_CPUS, which SnpMachine's contract requires: not verified");
        Verdicts v = interleaving();
        v.report(Rule.INTERLEAVING).ifPresent(Assertions::fail);
        v.notVerifiedReason(Rule.INTERLEAVING).ifPresent(Assumptions::abort);
    }

    private Verdicts interleaving() {
        if (interleaving == null) {
            List<ModelOptions> bases = new ArrayList<>(List.of(withFailInUse(ModelOptions.DEFAULTS)));
            if (capabilities().contains(Capability.ASSIGN_ONLY_CLEAR_POLICY)) {
                bases.add(withFailInUse(ModelOptions.DEFAULTS.withClearPolicy(ClearPolicy.ASSIGN_ONLY)));
            }
            if (capabilities().contains(Capability.PER_LOGICAL_CPU_TABLES)) {
                bases.add(withFailInUse(ModelOptions.DEFAULTS.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU)));
            }
            interleaving = new InterleavingExploration(this::newMachine, settings).explore(bases);
            summary("interleaved pairs", interleaving);
        }
        return interleaving;
    }

    // ------------------------------------------------------------------ optional rules

    /** model §4: bits are cleared only by the listed causes (clearing more is safe but not optimal). */
    @Test
    @DisplayName("model §4 (optional): a bit stays set until one of the specified causes clears it")
    public void optional_S4_bitsClearOnlyForTheSpecifiedCauses() {
        defaults().report(Rule.EXACT_BITS).ifPresent(report -> Assumptions.abort(
                "OPTIONAL rule not met (reported as skipped, not passed):\n" + report));
        if (capabilities().contains(Capability.CONCURRENT_CPUS)) {
            interleaving().report(Rule.EXACT_BITS).ifPresent(report -> Assumptions.abort(
                    "OPTIONAL rule not met under interleaving (reported as skipped, not passed):\n" + report));
        }
        defaults().notVerifiedReason(Rule.EXACT_BITS).ifPresent(Assumptions::abort);
    }

    /**
     * model §4 [M]: with one table per logical CPU every required rule holds. Optional: skipped
     * unless the backend declares {@link Capability#PER_LOGICAL_CPU_TABLES}; once declared, a
     * violation fails, since a backend must be safe in every configuration it claims.
     */
    @Test
    @DisplayName("model §4 [M] (optional capability): with one table per logical CPU every required rule holds")
    public void optional_M_perLogicalCpuTables_requiredRulesHold() {
        Assumptions.assumeTrue(capabilities().contains(Capability.PER_LOGICAL_CPU_TABLES),
                "the backend does not declare PER_LOGICAL_CPU_TABLES");
        if (perLogicalCpu == null) {
            perLogicalCpu = explore("PER_LOGICAL_CPU tables", ModelOptions.DEFAULTS.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU),
                    TckSettings.OPTIONAL_TRIALS);
        }
        perLogicalCpu.anyReport().ifPresent(report -> Assertions.fail(
                "declared capability PER_LOGICAL_CPU_TABLES does not conform:\n" + report));
        perLogicalCpu.notVerifiedReason(Rule.I1).ifPresent(Assumptions::abort);
    }

    /**
     * model §4 [M]: with the ASSIGN_ONLY clear policy every required rule holds. Optional: skipped
     * unless the backend declares {@link Capability#ASSIGN_ONLY_CLEAR_POLICY}; once declared, a
     * violation fails.
     */
    @Test
    @DisplayName("model §4 [M] (optional capability): with the ASSIGN_ONLY clear policy every required rule holds")
    public void optional_M_assignOnlyClearPolicy_requiredRulesHold() {
        Assumptions.assumeTrue(capabilities().contains(Capability.ASSIGN_ONLY_CLEAR_POLICY),
                "the backend does not declare ASSIGN_ONLY_CLEAR_POLICY");
        if (assignOnly == null) {
            assignOnly = explore("ASSIGN_ONLY clear policy", ModelOptions.DEFAULTS.withClearPolicy(ClearPolicy.ASSIGN_ONLY),
                    TckSettings.OPTIONAL_TRIALS);
        }
        assignOnly.anyReport().ifPresent(report -> Assertions.fail(
                "declared capability ASSIGN_ONLY_CLEAR_POLICY does not conform:\n" + report));
        assignOnly.notVerifiedReason(Rule.I1).ifPresent(Assumptions::abort);
    }

    // ------------------------------------------------------------------ machinery

    private void required(Rule rule) {
        Verdicts v = defaults();
        v.report(rule).ifPresent(Assertions::fail);
        v.notVerifiedReason(rule).ifPresent(Assumptions::abort);
    }

    private Verdicts defaults() {
        if (defaults == null) {
            defaults = explore("defaults (PER_CORE, EVERY_RMPUPDATE)", ModelOptions.DEFAULTS, TckSettings.SEQUENTIAL_TRIALS);
        }
        return defaults;
    }

    private Verdicts explore(String name, ModelOptions base, int trials) {
        Verdicts v = new Exploration(this::newMachine, settings).explore(name, withFailInUse(base), trials);
        summary(name, v);
        return v;
    }

    /** {@code base} letting half the trials turn FAIL_INUSE on (model §4.1), if the backend declares {@link Capability#FAIL_IN_USE}. */
    private ModelOptions withFailInUse(ModelOptions base) {
        return base.withFailInUse(capabilities().contains(Capability.FAIL_IN_USE));
    }

    private void summary(String name, Verdicts v) {
        System.out.println("[rmp-tck] " + getClass().getSimpleName() + ": " + name + ": " + v.summary());
    }
}
