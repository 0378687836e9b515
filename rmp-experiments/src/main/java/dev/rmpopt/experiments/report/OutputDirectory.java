package dev.rmpopt.experiments.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Checks, before any work and without writing anything, that results can be written under a directory. */
public final class OutputDirectory {

    private OutputDirectory() {
    }

    /** Why {@code dir} cannot take the results, or empty if it can (it, or its nearest existing parent, is a writable directory). */
    public static Optional<String> problem(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                return Optional.of(dir + " exists and is not a directory");
            }
            if (!Files.isWritable(abs) || !Files.isExecutable(abs)) {
                return Optional.of(dir + " is not writable (permission denied)");
            }
            return Optional.empty();
        }
        Path parent = abs.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null) {
            return Optional.of("cannot create " + dir + ": no existing parent directory");
        }
        if (!Files.isDirectory(parent)) {
            return Optional.of("cannot create " + dir + ": " + parent + " is not a directory");
        }
        if (!Files.isWritable(parent) || !Files.isExecutable(parent)) {
            return Optional.of("cannot create " + dir + ": " + parent + " is not writable (permission denied)");
        }
        return Optional.empty();
    }
}
