package dev.rmpopt.experiments.trace;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One VM of a trace, as the trace has it: nothing here is drawn or chosen. Times are the trace's
 * seconds (from the start of the trace); which VMs are SNP guests and which land on the host an
 * experiment models are decided later, by {@link TraceRules}.
 *
 * @param id             the trace's name for the VM
 * @param line           the line of the trace the VM was first read from (for messages)
 * @param createdSeconds when it was created
 * @param deletedSeconds when it was deleted; empty if it outlives the trace
 * @param cores          its virtual cores (an open top bucket of Azure V2 read as documented in {@link TraceFormat#AZURE_V2})
 * @param memoryBytes    its memory in bytes (a trace's GB read as GiB)
 * @param category       the trace's category (Azure's vmcategory, Huawei's none), if any
 * @param subscription   the trace's subscription or tenant, if any
 * @param snp            whether the trace says it is an SNP guest (only the project's event file does)
 * @param conversions    private-to-shared conversions the trace gives (only the project's event file does)
 */
public record TraceVm(String id, long line, long createdSeconds, OptionalLong deletedSeconds, int cores, long memoryBytes,
                      Optional<String> category, Optional<String> subscription, Optional<Boolean> snp,
                      List<Conversion> conversions) {

    /** Validates and copies. */
    public TraceVm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deletedSeconds, "deletedSeconds");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(snp, "snp");
        conversions = List.copyOf(conversions);
        if (createdSeconds < 0 || cores < 1 || memoryBytes <= 0) {
            throw new IllegalArgumentException("a trace VM is created at a time >= 0 with a core and memory: " + id);
        }
        if (deletedSeconds.isPresent() && deletedSeconds.getAsLong() < createdSeconds) {
            throw new IllegalArgumentException("a trace VM is deleted after it is created: " + id);
        }
    }

    /** A VM of the fleet traces (Azure, Huawei): no SNP flag, no conversions. */
    public static TraceVm of(String id, long line, long createdSeconds, OptionalLong deletedSeconds, int cores, long memoryBytes,
                             Optional<String> category, Optional<String> subscription) {
        return new TraceVm(id, line, createdSeconds, deletedSeconds, cores, memoryBytes, category, subscription,
                Optional.empty(), List.of());
    }

    /**
     * A conversion of {@code bytes} of the guest's memory from private to shared at
     * {@code atSeconds} of the trace.
     */
    public record Conversion(long atSeconds, long bytes) {
        /** Validates. */
        public Conversion {
            if (atSeconds < 0 || bytes <= 0) {
                throw new IllegalArgumentException("a conversion has a time >= 0 and some bytes");
            }
        }
    }
}
