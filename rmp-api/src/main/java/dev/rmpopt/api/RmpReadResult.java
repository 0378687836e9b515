package dev.rmpopt.api;

import java.util.Objects;

/**
 * What RMPREAD returns (model §4): the authoritative entry for a page, or a failure code for an
 * address outside RMP coverage.
 */
public sealed interface RmpReadResult permits RmpReadResult.Read, RmpReadResult.Failed {

    /** The entry, or an {@link IllegalStateException} if the read failed. */
    RmpEntry entry();

    /**
     * RMPREAD succeeded.
     *
     * @param entry the authoritative entry: the 2M entry for a page inside a 2 MiB entry
     */
    record Read(RmpEntry entry) implements RmpReadResult {
        /** Rejects a missing entry. */
        public Read {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /**
     * RMPREAD failed.
     *
     * @param code why, never {@link RmpReturnCode#SUCCESS}
     */
    record Failed(RmpReturnCode code) implements RmpReadResult {
        /** Rejects a success code. */
        public Failed {
            if (code == RmpReturnCode.SUCCESS) {
                throw new IllegalArgumentException("a failed RMPREAD needs a failure code");
            }
        }

        @Override
        public RmpEntry entry() {
            throw new IllegalStateException("RMPREAD failed with " + code);
        }
    }
}
