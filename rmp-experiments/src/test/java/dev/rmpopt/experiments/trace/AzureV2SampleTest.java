package dev.rmpopt.experiments.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped sample trace is what {@link AzureV2Sample} writes, and it reads as Azure V2.
 * {@code -Drmpopt.regenerate=true} rewrites it.
 */
class AzureV2SampleTest {

    private static final Path SHIPPED = Path.of("..", "scenarios", "traces", "azure-v2-sample.csv");

    @Test
    void theShippedSampleIsTheGeneratorsAndReadsAsAzureV2() throws IOException {
        String text = AzureV2Sample.generate();
        if (Boolean.getBoolean("rmpopt.regenerate")) {
            Files.writeString(SHIPPED, text);
        }
        assertEquals(text, Files.readString(SHIPPED), "regenerate with -Drmpopt.regenerate=true");
        List<TraceVm> vms = TraceReader.read(SHIPPED, TraceFormat.AZURE_V2);
        assertEquals(AzureV2Sample.VMS, vms.size());
        assertTrue(vms.stream().anyMatch(v -> v.deletedSeconds().isEmpty()), "some outlive the day");
        assertTrue(vms.stream().anyMatch(v -> v.memoryBytes() == 128L << 30), "the open top bucket");
    }
}
