package dev.rmpopt.tck;

/**
 * What a backend declares it supports beyond the required core, through
 * {@link RmpMachineCompatibilityKit#capabilities()}. The required rules always run with the
 * model's defaults: per-core tables shared by SMT siblings (the hardware, model §4 [C]) and clearing
 * on every RMPUPDATE (model §4's default). A rule that needs an undeclared capability is reported as
 * skipped, with the reason, never as passed.
 */
public enum Capability {
    /**
     * The backend honours {@link dev.rmpopt.api.RmpoptTableScope#PER_LOGICAL_CPU}: one table per
     * logical CPU, so VERIFY on one SMT thread does not set its sibling's bit (model §4 [M] option).
     */
    PER_LOGICAL_CPU_TABLES,
    /**
     * The backend honours {@link dev.rmpopt.api.ClearPolicy#ASSIGN_ONLY}: only RMPUPDATEs to an
     * assigned state clear the region (model §4 [M] option).
     */
    ASSIGN_ONLY_CLEAR_POLICY,
    /**
     * Threads acting as different CPUs may call the machine at once, as
     * {@link dev.rmpopt.api.SnpMachine} requires; the kit then checks model §6 under concurrency.
     */
    CONCURRENT_CPUS,
    /**
     * The backend accepts {@link dev.rmpopt.api.ModelOptions#failInUse()}: half the kit's trials then
     * turn it on. FAIL_INUSE is a permission, not an obligation (model §4.1): a backend that never
     * returns it conforms, but one that returns it must do so only while another CPU changes an
     * entry of the region, changing nothing and reporting only the operation's own event. Sequential
     * trials never allow it; undeclared, the kit keeps the option off.
     */
    FAIL_IN_USE
}
