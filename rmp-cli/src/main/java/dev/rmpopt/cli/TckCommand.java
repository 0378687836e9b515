package dev.rmpopt.cli;

import dev.rmpopt.tck.TckRunner;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rmpopt tck}: runs the compatibility kit against a backend found by name, a thin command
 * over {@link TckRunner}. A third party's backend needs no build of ours: its jar, with its
 * {@code META-INF/services/dev.rmpopt.api.RmpBackendProvider}, goes on {@code --classpath}.
 */
@Command(name = "tck", mixinStandardHelpOptions = true,
        description = "Run the compatibility kit against a backend found by ServiceLoader by name; print every rule's verdict.")
final class TckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", required = true, description = "The backend's RmpBackendProvider name, for example reference or scalable.")
    String backend;

    @Option(names = "--classpath", split = "${sys:path.separator}",
            description = "Jars that hold the backend and its provider (repeatable).")
    List<File> classpath = new ArrayList<>();

    @Option(names = "--depth", description = "Explore N times the default budget (default: 1).")
    Integer depth;

    @Option(names = "--seeds", description = "The seed set: fixed (the default, printed), fresh, or a printed set 0x... to replay a run.")
    String seeds;

    @Option(names = "--seed", description = "Replay one trial by the seed a failure printed.")
    String seed;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of("--backend", backend));
        if (!classpath.isEmpty()) {
            args.add("--classpath");
            args.add(String.join(File.pathSeparator, classpath.stream().map(File::getPath).toList()));
        }
        if (depth != null) {
            args.add("--depth");
            args.add(String.valueOf(depth));
        }
        if (seeds != null) {
            args.add("--seeds");
            args.add(seeds);
        }
        if (seed != null) {
            args.add("--seed");
            args.add(seed);
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
        return TckRunner.runCommandLine(args.toArray(new String[0]), out, err);
    }

    /** Bytes to picocli's writers, so that tests capture the report. */
    private static final class WriterOutputStream extends java.io.OutputStream {
        private final java.io.PrintWriter writer;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterOutputStream(java.io.PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public synchronized void flush() {
            writer.write(line.toString(StandardCharsets.UTF_8));
            writer.flush();
            line.reset();
        }
    }
}
