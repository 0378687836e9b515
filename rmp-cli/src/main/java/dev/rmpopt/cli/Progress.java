package dev.rmpopt.cli;

import dev.rmpopt.experiments.sweep.RunKey;
import dev.rmpopt.experiments.sweep.RunResult;
import dev.rmpopt.experiments.sweep.SweepListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of an experiment on standard error: a bar (runs, simulated minutes, ETA) on a terminal,
 * a line per step (a run's start, each quarter of its simulated time, its end) when not, nothing
 * with {@code --quiet}.
 */
final class Progress {

    private Progress() {
    }

    static SweepListener create(boolean quiet, boolean terminal, PrintWriter err, PrintStream terminalErr, int runs, long durationNanos) {
        if (quiet) {
            return SweepListener.NONE;
        }
        return terminal ? new Bar(terminalErr, runs, durationNanos) : new Lines(err);
    }

    /** A line per step. */
    private static final class Lines implements SweepListener {
        private final PrintWriter err;
        private final Map<RunKey, Integer> quarters = new ConcurrentHashMap<>();

        Lines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void started(RunKey key, int total) {
            err.printf(Locale.ROOT, "rmpopt: started %s, seed %d (%d runs)%n", key.cell().label(), key.seed(), total);
            err.flush();
        }

        @Override
        public void progressed(RunKey key, long simulatedNanos, long durationNanos) {
            int quarter = (int) Math.min(4, 4 * simulatedNanos / Math.max(1, durationNanos));
            Integer before = quarters.put(key, quarter);
            if (quarter > 0 && quarter < 4 && (before == null || before < quarter)) {
                synchronized (this) {
                    err.printf(Locale.ROOT, "rmpopt: %s, seed %d: %d of %d simulated minutes%n", key.cell().label(), key.seed(),
                            simulatedNanos / 60_000_000_000L, durationNanos / 60_000_000_000L);
                    err.flush();
                }
            }
        }

        @Override
        public synchronized void finished(RunResult result, int done, int total) {
            err.printf(Locale.ROOT, "rmpopt: finished %s, seed %d (%d of %d)%n", result.key().cell().label(), result.key().seed(), done, total);
            err.flush();
        }
    }

    /** A progress bar over every run's simulated minutes. */
    private static final class Bar implements SweepListener, AutoCloseable {
        private final ProgressBar bar;
        private final Map<RunKey, Long> minutes = new ConcurrentHashMap<>();
        private final long perRun;

        Bar(PrintStream err, int runs, long durationNanos) {
            perRun = Math.max(1, durationNanos / 60_000_000_000L);
            bar = new ProgressBarBuilder().setTaskName("rmpopt").setInitialMax(runs * perRun).setUnit(" sim-min", 1)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(500)
                    .continuousUpdate().build();
        }

        @Override
        public void started(RunKey key, int total) {
            bar.setExtraMessage(key.cell().label() + " seed " + key.seed());
        }

        @Override
        public void progressed(RunKey key, long simulatedNanos, long durationNanos) {
            long now = Math.min(perRun, simulatedNanos / 60_000_000_000L);
            Long before = minutes.put(key, now);
            bar.stepBy(now - (before == null ? 0 : before));
        }

        @Override
        public void finished(RunResult result, int done, int total) {
            Long before = minutes.put(result.key(), perRun);
            bar.stepBy(perRun - (before == null ? 0 : before));
            bar.setExtraMessage(done + "/" + total + " runs");
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
