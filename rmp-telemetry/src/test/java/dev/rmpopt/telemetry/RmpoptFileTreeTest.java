package dev.rmpopt.telemetry;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kvm.PassTrigger;
import dev.rmpopt.kvm.RmpoptCostModel;
import dev.rmpopt.kvm.RegionClearTracker;
import dev.rmpopt.kvm.RmpoptDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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

    RmpTelemetry telemetry;
    final RegionClearTracker clears = new RegionClearTracker();
    SnpMachine machine;
    RmpoptDriver driver;

    @BeforeEach
    void boot() {
        telemetry = new RmpTelemetry(CoverageSamplerTest.HOST);
        machine = RmpBackendProvider.named("reference").create(CoverageSamplerTest.HOST, ModelOptions.DEFAULTS, RmpEventListener.compose(telemetry, clears));
        machine.snpInit();
        driver = new RmpoptDriver(machine, clears, RmpoptCostModel.AMD_CALIBRATED, () -> 0L, telemetry);
        driver.setup();
        // A guest page in region 5 that the boot pass saw; freed below, so only a new pass wins it back.
        machine.rmpUpdate(5 * GIB, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false));
        machine.rmpUpdate(5 * GIB, RmpState.shared());
    }

    RmpoptFileTree tree(PassRunner runner) throws Exception {
        return RmpoptFileTree.create(root, new ConfigfsRmpopt(runner),
                () -> telemetry.observe(() -> DebugfsRmpoptTable.lines(machine, driver.passRange())));
    }

    PassRunner synchronousPasses() {
        return done -> {
            driver.fullPass(PassTrigger.MANUAL);
            done.run();
        };
    }

    String read(String relative) throws Exception {
        return Files.readString(root.resolve(relative));
    }

    @Test
    void laysOutTheKernelsFiles() throws Exception {
        tree(synchronousPasses());
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
        RmpoptFileTree tree = tree(synchronousPasses());
        assertEquals(List.of(), tree.poll(), "nothing written yet");

        Files.writeString(tree.path(RmpoptFileTree.ACTION), "1\n");
        List<ActionWriteResult> results = tree.poll();
        assertEquals(List.of(new ActionWriteResult.Accepted()), results);
        assertEquals("RMP optimization in progress: No\n", read(RmpoptFileTree.ACTION));
        assertTrue(read(RmpoptFileTree.TABLE).contains("Memory @  5GB: CPU(s): 0-7\n"));
        assertEquals("action <- '1\\n': a pass started\n", read(RmpoptFileTree.LOG));
        assertEquals(1, telemetry.passTotals(PassTrigger.MANUAL).passes());
        assertEquals(List.of(), tree.poll(), "the rewritten action is not a write");
    }

    @Test
    void badWritesAreLoggedWithTheirErrnoAndChangeNothing() throws Exception {
        RmpoptFileTree tree = tree(synchronousPasses());
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
        assertEquals(0, telemetry.passTotals(PassTrigger.MANUAL).passes());
    }

    @Test
    void aPassThatFinishesLaterShowsYesUntilItDoes() throws Exception {
        ConfigfsRmpoptTest.HeldPasses held = new ConfigfsRmpoptTest.HeldPasses();
        PassRunner later = done -> held.startPass(() -> {
            driver.fullPass(PassTrigger.MANUAL);
            done.run();
        });
        RmpoptFileTree tree = tree(later);
        Files.writeString(tree.path(RmpoptFileTree.ACTION), "1\n");
        assertEquals(List.of(new ActionWriteResult.Accepted()), tree.poll());
        assertEquals("RMP optimization in progress: Yes\n", read(RmpoptFileTree.ACTION));
        assertTrue(read(RmpoptFileTree.TABLE).contains("Memory @  5GB: CPU(s): none\n"));

        Files.writeString(tree.path(RmpoptFileTree.ACTION), "1\n");
        assertEquals(List.of(new ActionWriteResult.Ignored()), tree.poll());

        held.finishAll();
        assertEquals(List.of(), tree.poll());
        assertEquals("RMP optimization in progress: No\n", read(RmpoptFileTree.ACTION));
        assertTrue(read(RmpoptFileTree.TABLE).contains("Memory @  5GB: CPU(s): 0-7\n"));
    }

    @Test
    void aShellScriptWrittenForTheKernelRunsAgainstTheTree() throws Exception {
        RmpoptFileTree tree = tree(synchronousPasses());
        Process sh = new ProcessBuilder("sh", "-c",
                "cat \"$1/sys/kernel/config/rmpopt/description\" >/dev/null && echo 1 > \"$1/sys/kernel/config/rmpopt/action\"",
                "sh", root.toString()).inheritIO().start();
        assertTrue(sh.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, sh.exitValue());
        assertEquals(List.of(new ActionWriteResult.Accepted()), tree.poll());
    }

    @Test
    void serveHandlesWritesUntilToldToStop() throws Exception {
        CountDownLatch passRan = new CountDownLatch(1);
        RmpoptFileTree tree = tree(done -> {
            driver.fullPass(PassTrigger.MANUAL);
            done.run();
            passRan.countDown();
        });
        AtomicBoolean keepServing = new AtomicBoolean(true);
        ExecutorService server = Executors.newSingleThreadExecutor();
        try {
            Future<List<ActionWriteResult>> served = server.submit(() -> tree.serve(keepServing::get, Duration.ofMillis(50)));
            Files.writeString(tree.path(RmpoptFileTree.ACTION), "1\n");
            assertTrue(passRan.await(60, TimeUnit.SECONDS), "the write was never handled");
            keepServing.set(false);
            assertEquals(List.of(new ActionWriteResult.Accepted()), served.get(60, TimeUnit.SECONDS));
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void serveReturnsAtOnceWhenToldNotToServeAndRejectsABadInterval() throws Exception {
        RmpoptFileTree tree = tree(synchronousPasses());
        assertEquals(List.of(), tree.serve(() -> false, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> tree.serve(() -> true, Duration.ZERO));
    }
}
