package dev.rmpopt.kernel.files;

/**
 * What a write to {@code /sys/kernel/config/rmpopt/action} did (model §7, v1's
 * {@code rmpopt_action_store}). The kernel returns the byte count for {@link Accepted} and
 * {@link Ignored} alike, and a negative errno for the other two.
 */
public sealed interface ActionWriteResult permits ActionWriteResult.Accepted, ActionWriteResult.Ignored,
        ActionWriteResult.Einval, ActionWriteResult.Erange {

    /** {@code EINVAL} on Linux. */
    int EINVAL = 22;
    /** {@code ERANGE} on Linux. */
    int ERANGE = 34;

    /** The errno the write fails with, or 0 when it returns the byte count. */
    int errno();

    /** {@code 1} was written and no pass was running: a pass was started. */
    record Accepted() implements ActionWriteResult {
        @Override
        public int errno() {
            return 0;
        }
    }

    /** {@code 1} was written while a pass was running: silently ignored, nothing changed. */
    record Ignored() implements ActionWriteResult {
        @Override
        public int errno() {
            return 0;
        }
    }

    /**
     * {@code -EINVAL}: a number other than 1, or text {@code kstrtouint} cannot parse; nothing changed.
     *
     * @param reason what was wrong, for people
     */
    record Einval(String reason) implements ActionWriteResult {
        @Override
        public int errno() {
            return EINVAL;
        }
    }

    /**
     * {@code -ERANGE}: a decimal number that does not fit an {@code unsigned int}; nothing changed.
     *
     * @param reason what was wrong, for people
     */
    record Erange(String reason) implements ActionWriteResult {
        @Override
        public int errno() {
            return ERANGE;
        }
    }
}
