/**
 * The compatibility kit for {@link dev.rmpopt.api.SnpMachine} backends: subclass
 * {@link dev.rmpopt.tck.RmpMachineCompatibilityKit} in a backend's tests and declare its
 * {@link dev.rmpopt.tck.Capability capabilities}. Everything else in the package is the kit's own
 * machinery (generators, the independent model of the model document, the stateful and concurrent runners, the
 * shrinker) and is package-private.
 */
package dev.rmpopt.tck;
