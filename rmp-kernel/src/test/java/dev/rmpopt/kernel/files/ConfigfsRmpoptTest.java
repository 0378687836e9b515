package dev.rmpopt.kernel.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.PassTrigger;
import dev.rmpopt.kernel.TestKernel;
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

/** configfs as v1 wrote it (model §7), on a small booted host whose kernel owns "in progress". */
class ConfigfsRmpoptTest {

    /** A booted 8 GiB host; the boot pass is in progress until the clock moves. */
    static TestKernel booted() {
        return new TestKernel(TestKernel.smallHost(8), Policies.bootOnly()).booted();
    }

    /** A booted host whose boot pass is over. */
    static TestKernel idle() {
        TestKernel sim = booted();
        sim.advance(EventScheduler.SECOND);
        return sim;
    }

    static long manualPasses(TestKernel sim) {
        return sim.passes.stream().filter(p -> p.trigger() == PassTrigger.MANUAL).count();
    }

    @Test
    void readsAsTheKernelPrintsThem() {
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(idle().kernel);
        assertEquals("RMP optimization in progress: No\n", configfs.readAction());
        assertEquals("[RMPOPT]\n\necho 1 > action to perform RMP optimization.\n", configfs.readDescription());
    }

    @Test
    void theBootPassShowsAsInProgressUntilItsModelledEnd() {
        TestKernel sim = booted();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(sim.kernel);
        assertEquals("RMP optimization in progress: Yes\n", configfs.readAction());
        assertInstanceOf(ActionWriteResult.Ignored.class, configfs.writeAction("1\n"));
        sim.advance(sim.passes.get(0).modeledNanos());
        assertEquals("RMP optimization in progress: No\n", configfs.readAction());
    }

    @Test
    void oneStartsAPassAndIsIgnoredUntilThePassFinishes() {
        TestKernel sim = idle();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(sim.kernel);

        assertInstanceOf(ActionWriteResult.Accepted.class, configfs.writeAction("1\n"));
        assertEquals("RMP optimization in progress: Yes\n", configfs.readAction());
        assertTrue(configfs.inProgress());
        assertTrue(sim.kernel.isPassInProgress(), "configfs reads the kernel's state, not a copy");
        assertEquals(1, manualPasses(sim));

        ActionWriteResult again = configfs.writeAction("1\n");
        assertInstanceOf(ActionWriteResult.Ignored.class, again);
        assertEquals(0, again.errno());
        assertEquals(1, manualPasses(sim));

        sim.advance(EventScheduler.SECOND);
        assertEquals("RMP optimization in progress: No\n", configfs.readAction());
        assertInstanceOf(ActionWriteResult.Accepted.class, configfs.writeAction("1"));
        assertEquals(2, manualPasses(sim));
    }

    @Test
    void aPassTheKernelStartedItselfIsInProgressForConfigfsToo() {
        TestKernel sim = idle();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(sim.kernel);
        sim.kernel.queue(dev.rmpopt.kernel.PassRequest.full(PassTrigger.VM_DESTROY_DEBOUNCED, 10, true));
        sim.advance(10);
        assertEquals("RMP optimization in progress: Yes\n", configfs.readAction());
        assertInstanceOf(ActionWriteResult.Ignored.class, configfs.writeAction("1\n"));
    }

    @Test
    void beforeSetupAWriteFailsAndChangesNothing() {
        TestKernel sim = new TestKernel(TestKernel.smallHost(8), Policies.bootOnly());
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(sim.kernel);
        assertThrows(IllegalStateException.class, () -> configfs.writeAction("1\n"));
        assertFalse(configfs.inProgress());
        assertEquals(List.of(), sim.passes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1\n", "+1\n", "01\n", "0000000001", "1\u0000garbage"})
    void acceptedSpellingsOfOne(String text) {
        assertInstanceOf(ActionWriteResult.Accepted.class, new ConfigfsRmpopt(idle().kernel).writeAction(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0\n", "2\n", "42", "4294967295\n"})
    void otherNumbersAreEinval(String text) {
        TestKernel sim = idle();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(sim.kernel);
        ActionWriteResult result = configfs.writeAction(text);
        assertInstanceOf(ActionWriteResult.Einval.class, result);
        assertEquals(22, result.errno());
        assertEquals(0, manualPasses(sim));
        assertFalse(configfs.inProgress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "yes\n", " 1\n", "1 \n", "1\n\n", "-1\n", "0x1\n", "1a\n", "+\n", "++1",
            "4294967296x", "\u0000"})
    void unparsableTextIsEinval(String text) {
        TestKernel sim = idle();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(sim.kernel);
        assertInstanceOf(ActionWriteResult.Einval.class, configfs.writeAction(text));
        assertEquals(0, manualPasses(sim));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967296\n", "18446744073709551615", "18446744073709551616\n", "99999999999999999999x"})
    void numbersBeyondAnUnsignedIntAreErange(String text) {
        TestKernel sim = idle();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(sim.kernel);
        ActionWriteResult result = configfs.writeAction(text);
        assertInstanceOf(ActionWriteResult.Erange.class, result);
        assertEquals(34, result.errno());
        assertEquals(0, manualPasses(sim));
    }

    @Test
    void aWriteIsCutToTheConfigfsBuffer() {
        // 4094 zeros then "1": the first 4095 bytes are the number 1, the newline past them is dropped.
        byte[] one = ("0".repeat(4094) + "1\n").getBytes(StandardCharsets.US_ASCII);
        assertInstanceOf(ActionWriteResult.Accepted.class, new ConfigfsRmpopt(idle().kernel).writeAction(one));
        // 4095 zeros then "1": the 1 is cut off, leaving 0.
        byte[] zero = ("0".repeat(4095) + "1").getBytes(StandardCharsets.US_ASCII);
        ActionWriteResult result = new ConfigfsRmpopt(idle().kernel).writeAction(zero);
        assertEquals(new ActionWriteResult.Einval("0 is not 1, the only action"), result);
    }

    @Test
    void concurrentWritesStartExactlyOnePass() throws Exception {
        TestKernel sim = idle();
        ConfigfsRmpopt configfs = new ConfigfsRmpopt(sim.kernel);
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
            assertEquals(1, manualPasses(sim));
        } finally {
            pool.shutdownNow();
        }
    }
}
