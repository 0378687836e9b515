package dev.rmpopt.kernel.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The kernel's RMPOPT files (model §7) as ordinary files under a directory, so that scripts written
 * for {@code /sys} can be tried against the model by pointing them at {@code ROOT/sys/...}:
 *
 * <pre>
 * ROOT/sys/kernel/debug/x86/rmpopt/rmpopt-table    debugfs, v2-v8 (mode 0400 as from v6)
 * ROOT/sys/kernel/config/rmpopt/action             configfs, v1 (0644)
 * ROOT/sys/kernel/config/rmpopt/description        configfs, v1 (0444)
 * ROOT/rmpopt-model.log                            what each write to action did
 * </pre>
 *
 * <p>{@code action} holds what reading it in the kernel gives. When a script writes it, the next
 * {@link #poll()} hands the bytes to {@link ConfigfsRmpopt}, logs the result (a file cannot return
 * {@code -EINVAL} to its writer, so the errno goes to the log), and rewrites {@code action} with the
 * new read text; when a pass finishes, {@code action} and the table are rewritten too. Every rewrite
 * replaces the file atomically, so a reader never sees half of it.
 *
 * <p>What ordinary files cannot do like configfs: writes are seen, not queued, so two writes between
 * polls count as the last one; an empty file (a truncation without a write) is no write, as in the
 * kernel, and is left as it is; writing exactly the text {@code action} already holds is not seen
 * (the kernel would answer {@code -EINVAL}); and a write that races with a rewrite may be lost, so a
 * script should wait for {@code RMP optimization in progress: No} before writing again.
 *
 * <p>Not thread-safe: one thread polls, or runs {@link #serve}.
 */
public final class RmpoptFileTree {

    /** The debugfs table, relative to the root. */
    public static final String TABLE = "sys/kernel/debug/x86/rmpopt/rmpopt-table";
    /** configfs {@code action}, relative to the root. */
    public static final String ACTION = "sys/kernel/config/rmpopt/action";
    /** configfs {@code description}, relative to the root. */
    public static final String DESCRIPTION = "sys/kernel/config/rmpopt/description";
    /** The log of writes to {@code action}, relative to the root. */
    public static final String LOG = "rmpopt-model.log";

    private final Path root;
    private final ConfigfsRmpopt configfs;
    private final Supplier<List<String>> table;
    private byte[] renderedAction;
    private boolean renderedInProgress;

    private RmpoptFileTree(Path root, ConfigfsRmpopt configfs, Supplier<List<String>> table) {
        this.root = root;
        this.configfs = configfs;
        this.table = table;
    }

    /**
     * Lays the files out under {@code root} (created if missing; earlier files of the tree are
     * replaced) and renders them.
     *
     * @param configfs the configfs model {@code action} writes go to
     * @param table    the debugfs lines, for example
     *                 {@code () -> telemetry.observe(() -> DebugfsRmpoptTable.lines(machine, driver.passRange()))}
     */
    public static RmpoptFileTree create(Path root, ConfigfsRmpopt configfs, Supplier<List<String>> table) throws IOException {
        RmpoptFileTree tree = new RmpoptFileTree(Objects.requireNonNull(root, "root"),
                Objects.requireNonNull(configfs, "configfs"), Objects.requireNonNull(table, "table"));
        Files.createDirectories(tree.path(TABLE).getParent());
        Files.createDirectories(tree.path(ACTION).getParent());
        tree.replace(DESCRIPTION, configfs.readDescription().getBytes(StandardCharsets.US_ASCII), "r--r--r--");
        tree.renderAction();
        tree.refreshTable();
        Files.writeString(tree.path(LOG), "", StandardCharsets.UTF_8);
        return tree;
    }

    /** The directory the tree is under. */
    public Path root() {
        return root;
    }

    /** The file at {@code relative} ({@link #TABLE}, {@link #ACTION}, {@link #DESCRIPTION} or {@link #LOG}). */
    public Path path(String relative) {
        return root.resolve(relative);
    }

    /** Rewrites the debugfs table from the model; call it when the simulation has moved on. */
    public void refreshTable() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : table.get()) {
            text.append(line).append('\n');
        }
        replace(TABLE, text.toString().getBytes(StandardCharsets.US_ASCII), "r--------");
    }

    /**
     * One step: hands a new write of {@code action} to configfs, and rewrites {@code action} and the
     * table when a write was handled or a pass finished since the last step.
     *
     * @return what the write did, or nothing if {@code action} was not written
     */
    public List<ActionWriteResult> poll() throws IOException {
        List<ActionWriteResult> results = new ArrayList<>();
        byte[] written = Files.readAllBytes(path(ACTION));
        if (written.length > 0 && !Arrays.equals(written, renderedAction)) {
            ActionWriteResult result = configfs.writeAction(written);
            results.add(result);
            log(written, result);
            renderAction();
            if (!configfs.inProgress()) {
                refreshTable();
            }
        } else if (renderedInProgress && !configfs.inProgress()) {
            renderAction();
            refreshTable();
        }
        return results;
    }

    /**
     * Polls until {@code keepServing} says stop: a step, then a wait of at most {@code pollInterval}
     * that a change in the configfs directory cuts short (a {@link WatchService}; the steps alone
     * would do, more slowly, where the file system sends no events).
     *
     * @return the writes handled
     */
    public List<ActionWriteResult> serve(BooleanSupplier keepServing, Duration pollInterval) throws IOException, InterruptedException {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive, not " + pollInterval);
        }
        List<ActionWriteResult> handled = new ArrayList<>();
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            path(ACTION).getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (keepServing.getAsBoolean()) {
                handled.addAll(poll());
                WatchKey key = watcher.poll(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
        return handled;
    }

    private void renderAction() throws IOException {
        boolean inProgress = configfs.inProgress();
        byte[] text = (inProgress ? ConfigfsRmpopt.IN_PROGRESS_YES : ConfigfsRmpopt.IN_PROGRESS_NO).getBytes(StandardCharsets.US_ASCII);
        replace(ACTION, text, "rw-r--r--");
        renderedAction = text;
        renderedInProgress = inProgress;
    }

    private void log(byte[] written, ActionWriteResult result) throws IOException {
        String shown = new String(written, StandardCharsets.UTF_8).replace("\n", "\\n");
        String outcome;
        if (result instanceof ActionWriteResult.Accepted) {
            outcome = "a pass started";
        } else if (result instanceof ActionWriteResult.Ignored) {
            outcome = "ignored: a pass is in progress";
        } else if (result instanceof ActionWriteResult.Einval e) {
            outcome = "EINVAL: " + e.reason();
        } else {
            outcome = "ERANGE: " + ((ActionWriteResult.Erange) result).reason();
        }
        Files.writeString(path(LOG), "action <- '" + shown + "': " + outcome + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    /** Replaces {@code relative} atomically with {@code content} and mode {@code permissions} (where POSIX modes exist). */
    private void replace(String relative, byte[] content, String permissions) throws IOException {
        Path target = path(relative);
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(temporary, content);
            if (Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(permissions));
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
