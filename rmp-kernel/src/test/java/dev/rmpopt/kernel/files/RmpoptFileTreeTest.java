package dev.rmpopt.kernel.files;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.PassTrigger;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.TestKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's files under a real temporary directory, driven by a small reference host. */
class RmpoptFileTreeTest {

    @TempDir
    Path root;

    TestKernel sim;

    @BeforeEach
    void boot() {
        sim = new TestKernel(TestKernel.smallHost(8), Policies.bootOnly()).booted();
        sim.advance(EventScheduler.SECOND);
        // A guest page in region 5 that the boot pass saw; freed below, so only a new pass wins it back.
        sim.assign(5 * GIB);
        sim.share(5 * GIB);
    }

    RmpoptFileTree tree() throws Exception {
        return RmpoptFileTree.create(root, new ConfigfsRmpopt(sim.kernel),
                () -> DebugfsRmpoptTable.lines(sim.machine, sim.kernel.passRange()));
    }

    long manualPasses() {
        return sim.passes.stream().filter(p -> p.trigger() == PassTrigger.MANUAL).count();
    }

    String read(String relative) throws Exception {
        return Files.readString(root.resolve(relative));
    }

    @Test
    void laysOutTheKernelsFiles() throws Exception {
        tree();
        assertEquals("[RMPOPT]\n\necho 1 > action to perform RMP optimization.\n",
                read("sys/kernel/config/rmpopt/description"));
        assertEquals("RMP optimization in progress: No\n", read("sys/kernel/config/rmpopt/action"));
        assertEquals("""
                Memory @  0GB: CPU(s): none
                Memory @  1GB: CPU(s): 0-7
                Memory @  2GB: CPU(s): none
                Memory @  3GB: CPU(s): 0-7
                Memory @  4GB: CPU(s): 0-7
                Memory @  5GB: CPU(s): none
                Memory @  6GB: CPU(s): 0-7
                Memory @  7GB: CPU(s): none
                """, read("sys/kernel/debug/x86/rmpopt/rmpopt-table"));
        assertEquals("", read("rmpopt-model.log"));
        if (Files.getFileStore(root).supportsFileAttributeView("posix")) {
            assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(RmpoptFileTree.DESCRIPTION))));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(RmpoptFileTree.ACTION))));
            assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(RmpoptFileTree.TABLE))));
        }
    }

    @Test
    void writingOneRunsAPassAndRefreshesTheTable() throws Exception {
        RmpoptFileTree tree = tree();
        assertEquals(List.of(), tree.poll(), "nothing written yet");

        Files.writeString(tree.path(RmpoptFileTree.ACTION), "1\n");
        List<ActionWriteResult> results = tree.poll();
        assertEquals(List.of(new ActionWriteResult.Accepted()), results);
        assertEquals("RMP optimization in progress: Yes\n", read(RmpoptFileTree.ACTION));
        sim.advance(EventScheduler.SECOND);
        assertEquals(List.of(), tree.poll(), "the pass ended: no write, the files are rewritten");
        assertEquals("RMP optimization in progress: No\n", read(RmpoptFileTree.ACTION));
        assertTrue(read(RmpoptFileTree.TABLE).contains("Memory @  5GB: CPU(s): 0-7\n"));
        assertEquals("action <- '1\\n': a pass started\n", read(RmpoptFileTree.LOG));
        assertEquals(1, manualPasses());
        assertEquals(List.of(), tree.poll(), "the rewritten action is not a write");
    }

    @Test
    void badWritesAreLoggedWithTheirErrnoAndChangeNothing() throws Exception {
        RmpoptFileTree tree = tree();
        String tableBefore = read(RmpoptFileTree.TABLE);
        Files.writeString(tree.path(RmpoptFileTree.ACTION), "2\n");
        assertInstanceOf(ActionWriteResult.Einval.class, tree.poll().get(0));
        Files.writeString(tree.path(RmpoptFileTree.ACTION), "4294967296\n");
        assertInstanceOf(ActionWriteResult.Erange.class, tree.poll().get(0));
        assertEquals("""
                action <- '2\\n': EINVAL: 2 is not 1, the only action
                action <- '4294967296\\n': ERANGE: '4294967296\\n' does not fit an unsigned int
                """, read(RmpoptFileTree.LOG));
        assertEquals("RMP optimization in progress: No\n", read(RmpoptFileTree.ACTION));
        assertEquals(tableBefore, read(RmpoptFileTree.TABLE));
        assertEquals(0, manualPasses());
    }

    @Test
    void aPassShowsYesUntilItsModelledEndAndTheTableChangesThen() throws Exception {
        RmpoptFileTree tree = tree();
        Files.writeString(tree.path(RmpoptFileTree.ACTION), "1\n");
        assertEquals(List.of(new ActionWriteResult.Accepted()), tree.poll());
        assertEquals("RMP optimization in progress: Yes\n", read(RmpoptFileTree.ACTION));
        assertTrue(read(RmpoptFileTree.TABLE).contains("Memory @  5GB: CPU(s): none\n"));

        Files.writeString(tree.path(RmpoptFileTree.ACTION), "1\n");
        assertEquals(List.of(new ActionWriteResult.Ignored()), tree.poll());

        sim.advance(sim.passes.get(sim.passes.size() - 1).modeledNanos());
        assertEquals(List.of(), tree.poll());
        assertEquals("RMP optimization in progress: No\n", read(RmpoptFileTree.ACTION));
        assertTrue(read(RmpoptFileTree.TABLE).contains("Memory @  5GB: CPU(s): 0-7\n"));
        assertEquals(1, manualPasses());
    }

    @Test
    void aShellScriptWrittenForTheKernelRunsAgainstTheTree() throws Exception {
        RmpoptFileTree tree = tree();
        Process sh = new ProcessBuilder("sh", "-c",
                "cat \"$1/sys/kernel/config/rmpopt/description\" >/dev/null && echo 1 > \"$1/sys/kernel/config/rmpopt/action\"",
                "sh", root.toString()).inheritIO().start();
        assertTrue(sh.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, sh.exitValue());
        assertEquals(List.of(new ActionWriteResult.Accepted()), tree.poll());
    }

    @Test
    void serveHandlesWritesUntilToldToStop() throws Exception {
        RmpoptFileTree tree = tree();
        AtomicBoolean keepServing = new AtomicBoolean(true);
        ExecutorService server = Executors.newSingleThreadExecutor();
        try {
            Future<List<ActionWriteResult>> served = server.submit(() -> tree.serve(keepServing::get, Duration.ofMillis(50)));
            Files.writeString(tree.path(RmpoptFileTree.ACTION), "1\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (manualPasses() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, manualPasses(), "the write was never handled");
            keepServing.set(false);
            assertEquals(List.of(new ActionWriteResult.Accepted()), served.get(60, TimeUnit.SECONDS));
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void serveReturnsAtOnceWhenToldNotToServeAndRejectsABadInterval() throws Exception {
        RmpoptFileTree tree = tree();
        assertEquals(List.of(), tree.serve(() -> false, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> tree.serve(() -> true, Duration.ZERO));
    }
}
