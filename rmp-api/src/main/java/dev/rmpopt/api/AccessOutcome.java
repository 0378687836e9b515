package dev.rmpopt.api;

/**
 * What happened to one memory access (model §5): allowed without consulting the RMP because the
 * core's RMPOPT bit was set ({@link Skipped}), allowed after the RMP check ({@link Checked}),
 * allowed because the access is not subject to RMP checks ({@link Unchecked}), or an
 * {@link RmpFault}.
 *
 * <p>The three allowed outcomes are singletons so that the write fast path allocates nothing.
 */
public sealed interface AccessOutcome permits AccessOutcome.Skipped, AccessOutcome.Checked,
        AccessOutcome.Unchecked, RmpFault {

    /** The write skipped the RMP check: the core's RMPOPT bit covered the region. */
    Skipped SKIPPED = new Skipped();
    /** The RMP was consulted and allowed the access. */
    Checked CHECKED = new Checked();
    /** The access is not RMP-checked: a host-side read, or RMP checks are not enabled yet. */
    Unchecked UNCHECKED = new Unchecked();

    /** Whether the access went through (every outcome but a fault). */
    default boolean allowed() {
        return !(this instanceof RmpFault);
    }

    /** Allowed without an RMP lookup, thanks to RMPOPT. */
    record Skipped() implements AccessOutcome {
    }

    /** Allowed after an RMP lookup. */
    record Checked() implements AccessOutcome {
    }

    /** Allowed, and not subject to an RMP check at all. */
    record Unchecked() implements AccessOutcome {
    }
}
