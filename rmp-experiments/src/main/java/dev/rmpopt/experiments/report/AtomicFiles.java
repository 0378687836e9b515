package dev.rmpopt.experiments.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes that are seen whole or not at all: a file is written under a temporary name in its
 * directory and renamed over its name; a run's directory is filled under a temporary name and
 * renamed into place.
 */
public final class AtomicFiles {

    /** Names starting with this are temporary and removed if left over. */
    public static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /** Writes {@code text} to {@code file} atomically. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file} atomically. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, TEMP_PREFIX + file.getFileName(), "");
        try {
            Files.write(tmp, bytes);
            readableByAll(tmp, false);
            move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Renames the filled directory {@code tmp} to {@code dir}, replacing an older one of that name. */
    public static void publishDirectory(Path tmp, Path dir) throws IOException {
        if (Files.exists(dir)) {
            Path old = dir.resolveSibling(TEMP_PREFIX + "old-" + dir.getFileName() + "-" + System.nanoTime());
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            move(tmp, dir);
            deleteTree(old);
        } else {
            move(tmp, dir);
        }
    }

    /**
     * Temporary files and directories are made private; what is published is readable by all, as
     * any other file the user writes (where the file system has POSIX permissions).
     */
    static void readableByAll(Path p, boolean directory) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(directory ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // the file system's defaults stand
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | DirectoryNotEmptyException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
