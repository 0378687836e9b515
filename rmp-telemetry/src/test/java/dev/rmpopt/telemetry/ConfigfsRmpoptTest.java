package dev.rmpopt.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigfsRmpoptTest {

    /** A runner that holds every pass open until the test finishes it. */
    static final class HeldPasses implements PassRunner {
        final List<Runnable> open = new ArrayList<>();

        @Override
        public synchronized void startPass(Runnable passFinished) {
            open.add(passFinished);
        }

        synchronized void finishAll() {
            open.forEach(Runnable::run);
            open.clear();
        }

        synchronized int started() {
            return open.size();
        }
    }

    @Test
    void readsAsTheKernelPrintsThem() {
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(done -> { });
        assertEquals("RMP optimization in progress: No\n", configfs.readAction());
        assertEquals("[RMPOPT]\n\necho 1 > action to perform RMP optimization.\n", configfs.readDescription());
    }

    @Test
    void oneStartsAPassAndIsIgnoredUntilThePassFinishes() {
        HeldPasses runner = new HeldPasses();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(runner);

        assertInstanceOf(ActionWriteResult.Accepted.class, configfs.writeAction("1\n"));
        assertEquals("RMP optimization in progress: Yes\n", configfs.readAction());
        assertTrue(configfs.inProgress());
        assertEquals(1, runner.started());

        ActionWriteResult again = configfs.writeAction("1\n");
        assertInstanceOf(ActionWriteResult.Ignored.class, again);
        assertEquals(0, again.errno());
        assertEquals(1, runner.started());

        runner.finishAll();
        assertEquals("RMP optimization in progress: No\n", configfs.readAction());
        assertInstanceOf(ActionWriteResult.Accepted.class, configfs.writeAction("1"));
        assertEquals(1, runner.started());
    }

    @Test
    void aRunnerThatFinishesAtOnceLeavesNothingInProgress() {
        int[] passes = {0};
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(done -> {
            passes[0]++;
            done.run();
        });
        assertInstanceOf(ActionWriteResult.Accepted.class, configfs.writeAction("1\n"));
        assertInstanceOf(ActionWriteResult.Accepted.class, configfs.writeAction("1\n"));
        assertEquals(2, passes[0]);
        assertFalse(configfs.inProgress());
    }

    @Test
    void finishingAPassTwiceIsAnError() {
        HeldPasses runner = new HeldPasses();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(runner);
        configfs.writeAction("1\n");
        Runnable done = runner.open.get(0);
        done.run();
        configfs.writeAction("1\n");
        assertThrows(IllegalStateException.class, done::run);
        assertTrue(configfs.inProgress(), "the stale callback must not end the second pass");
    }

    @Test
    void aRunnerThatFailsChangesNothing() {
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(done -> {
            throw new IllegalStateException("RMPOPT is not set up");
        });
        assertThrows(IllegalStateException.class, () -> configfs.writeAction("1\n"));
        assertFalse(configfs.inProgress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1\n", "+1\n", "01\n", "0000000001", "1\u0000garbage"})
    void acceptedSpellingsOfOne(String text) {
        assertInstanceOf(ActionWriteResult.Accepted.class, new ConfigfsRmpopt(done -> { }).writeAction(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0\n", "2\n", "42", "4294967295\n"})
    void otherNumbersAreEinval(String text) {
        HeldPasses runner = new HeldPasses();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(runner);
        ActionWriteResult result = configfs.writeAction(text);
        assertInstanceOf(ActionWriteResult.Einval.class, result);
        assertEquals(22, result.errno());
        assertEquals(0, runner.started());
        assertFalse(configfs.inProgress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "yes\n", " 1\n", "1 \n", "1\n\n", "-1\n", "0x1\n", "1a\n", "+\n", "++1",
            "4294967296x", "\u0000"})
    void unparsableTextIsEinval(String text) {
        HeldPasses runner = new HeldPasses();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(runner);
        assertInstanceOf(ActionWriteResult.Einval.class, configfs.writeAction(text));
        assertEquals(0, runner.started());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967296\n", "18446744073709551615", "18446744073709551616\n", "99999999999999999999x"})
    void numbersBeyondAnUnsignedIntAreErange(String text) {
        HeldPasses runner = new HeldPasses();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(runner);
        ActionWriteResult result = configfs.writeAction(text);
        assertInstanceOf(ActionWriteResult.Erange.class, result);
        assertEquals(34, result.errno());
        assertEquals(0, runner.started());
    }

    @Test
    void aWriteIsCutToTheConfigfsBuffer() {
        // 4094 zeros then "1": the first 4095 bytes are the number 1, the newline past them is dropped.
        byte[] one = ("0".repeat(4094) + "1\n").getBytes(StandardCharsets.US_ASCII);
        assertInstanceOf(ActionWriteResult.Accepted.class, new ConfigfsRmpopt(done -> { }).writeAction(one));
        // 4095 zeros then "1": the 1 is cut off, leaving 0.
        byte[] zero = ("0".repeat(4095) + "1").getBytes(StandardCharsets.US_ASCII);
        ActionWriteResult result = new ConfigfsRmpopt(done -> { }).writeAction(zero);
        assertEquals(new ActionWriteResult.Einval("0 is not 1, the only action"), result);
    }

    @Test
    void concurrentWritesStartExactlyOnePass() throws Exception {
        HeldPasses runner = new HeldPasses();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(runner);
        int writers = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<ActionWriteResult>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Callable<ActionWriteResult> write = () -> {
                    go.await();
                    return configfs.writeAction("1\n");
                };
                results.add(pool.submit(write));
            }
            go.countDown();
            int accepted = 0;
            for (Future<ActionWriteResult> f : results) {
                ActionWriteResult r = f.get();
                if (r instanceof ActionWriteResult.Accepted) {
                    accepted++;
                } else {
                    assertSame(ActionWriteResult.Ignored.class, r.getClass());
                }
            }
            assertEquals(1, accepted);
            assertEquals(1, runner.started());
        } finally {
            pool.shutdownNow();
        }
    }
}
