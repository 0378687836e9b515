package dev.rmpopt.kernel.files;

import dev.rmpopt.kernel.KernelRmpopt;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The v1 configfs interface, {@code /sys/kernel/config/rmpopt/} (model §7):
 *
 * <ul>
 *   <li>{@code action} (rw). A write is parsed with {@code kstrtouint(page, 10)}: a parse error is
 *       that function's {@code -EINVAL} or {@code -ERANGE}; a number other than {@code 1} is
 *       {@code -EINVAL}; {@code 1} starts a pass unless one is in progress
 *       ({@code atomic_cmpxchg(&rmpopt_in_progress, 0, 1)}), and is silently ignored if one is.
 *       A read shows {@code RMP optimization in progress: Yes\n} or {@code ... No\n}.</li>
 *   <li>{@code description} (ro): {@code [RMPOPT]\n\necho 1 > action to perform RMP optimization.\n}.</li>
 * </ul>
 *
 * <p>Like configfs, a write sees at most 4095 bytes (its {@code SIMPLE_ATTR_SIZE} less one), as a C
 * string: anything after the first NUL byte is not parsed. "In progress" is the kernel's own state
 * ({@link KernelRmpopt#isPassInProgress()}: a pass lasts its modelled duration on the simulated
 * clock), read here, never copied; a write of {@code 1} is {@link KernelRmpopt#requestManualPass()},
 * which starts a pass unless one is in progress. Safe for concurrent writers: the kernel serializes
 * them, so exactly one of several concurrent writes of {@code 1} starts a pass.
 */
public final class ConfigfsRmpopt {

    /** The subsystem's directory in the kernel. */
    public static final String DIRECTORY = "/sys/kernel/config/rmpopt";
    /** The {@code action} attribute's path in the kernel. */
    public static final String ACTION_PATH = DIRECTORY + "/action";
    /** The {@code description} attribute's path in the kernel. */
    public static final String DESCRIPTION_PATH = DIRECTORY + "/description";
    /** What reading {@code description} gives. */
    public static final String DESCRIPTION = "[RMPOPT]\n\necho 1 > action to perform RMP optimization.\n";
    /** What reading {@code action} gives while a pass runs. */
    public static final String IN_PROGRESS_YES = "RMP optimization in progress: Yes\n";
    /** What reading {@code action} gives otherwise. */
    public static final String IN_PROGRESS_NO = "RMP optimization in progress: No\n";

    /** configfs's buffer for one store; a write is cut to one byte less, then NUL-terminated. */
    static final int SIMPLE_ATTR_SIZE = 4096;

    private final KernelRmpopt kernel;

    /** The interface of {@code kernel}. */
    public ConfigfsRmpopt(KernelRmpopt kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    /** A write of {@code text} (UTF-8), as {@code echo text > action} would make with its newline included. */
    public ActionWriteResult writeAction(String text) {
        return writeAction(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One {@code write(2)} of {@code buffer} to {@code action}. Before the kernel's RMPOPT setup the
     * file does not exist: {@link IllegalStateException}, and nothing changes.
     */
    public ActionWriteResult writeAction(byte[] buffer) {
        int length = Math.min(buffer.length, SIMPLE_ATTR_SIZE - 1);
        for (int i = 0; i < length; i++) {
            if (buffer[i] == 0) {
                length = i;
                break;
            }
        }
        long value = Kstrtouint.parse(buffer, length);
        String shown = new String(buffer, 0, length, StandardCharsets.UTF_8).replace("\n", "\\n");
        if (value == -ActionWriteResult.ERANGE) {
            return new ActionWriteResult.Erange("'" + shown + "' does not fit an unsigned int");
        }
        if (value == -ActionWriteResult.EINVAL) {
            return new ActionWriteResult.Einval("'" + shown + "' is not a decimal number");
        }
        if (value != 1) {
            return new ActionWriteResult.Einval(value + " is not 1, the only action");
        }
        return kernel.requestManualPass() ? new ActionWriteResult.Accepted() : new ActionWriteResult.Ignored();
    }

    /** What reading {@code action} gives: {@link #IN_PROGRESS_YES} or {@link #IN_PROGRESS_NO}. */
    public String readAction() {
        return inProgress() ? IN_PROGRESS_YES : IN_PROGRESS_NO;
    }

    /** What reading {@code description} gives: {@link #DESCRIPTION}. */
    public String readDescription() {
        return DESCRIPTION;
    }

    /** Whether a pass is running ({@code rmpopt_in_progress}): the kernel's state. */
    public boolean inProgress() {
        return kernel.isPassInProgress();
    }
}
