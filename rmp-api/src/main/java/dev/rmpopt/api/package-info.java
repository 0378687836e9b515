/**
 * The rmpopt SPI: the value types and service interfaces of a model of AMD SEV-SNP's Reverse Map
 * Table and RMPOPT, as the project's model document, {@code docs/model.md} describes them.
 *
 * <p>A backend implements {@link dev.rmpopt.api.SnpMachine} and registers a
 * {@link dev.rmpopt.api.RmpBackendProvider}; consumers (the KVM-like adapter, telemetry, the TCK)
 * depend on this package only. Nothing here depends on Guice or on any implementation.
 */
package dev.rmpopt.api;
