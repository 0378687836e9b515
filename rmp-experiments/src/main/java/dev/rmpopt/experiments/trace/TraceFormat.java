package dev.rmpopt.experiments.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The trace formats an experiment reads, one reader each. Every format is CSV (read with Jackson's
 * CSV parser), plain or gzipped; a row that does not fit is a {@link TraceException} naming the
 * file, line and column.
 */
public enum TraceFormat {

    /**
     * The Azure Public Dataset VM table, V1 (2017): no header, the columns {@code vmid,
     * subscriptionid, deploymentid, vmcreated, vmdeleted, maxcpu, avgcpu, p95maxcpu, vmcategory,
     * vmcorecount, vmmemory}; times in seconds from the start of the trace, the core count a whole
     * number, the memory in GB (read as GiB), a decimal number. An empty {@code vmdeleted}: the VM
     * outlives the trace.
     */
    AZURE_V1,

    /**
     * The Azure Public Dataset VM table, V2 (2019): no header, the columns {@code vmid,
     * subscriptionid, deploymentid, vmcreated, vmdeleted, maxcpu, avgcpu, p95maxcpu, vmcategory,
     * vmcorecountbucket, vmmemorybucket}; times in seconds from the start of the trace in multiples
     * of 300; core and memory (GB, read as GiB) buckets as whole numbers, the open top bucket
     * {@code >N} read as 2N (so {@code >64} GB is 128 GiB, {@code >24} cores is 48).
     */
    AZURE_V2,

    /**
     * The Huawei Cloud VM trace: {@code vmid, cpu, memory, time, type}, with or without that
     * header; memory in GB (read as GiB), time in whole seconds, type 0 for a create and 1 for a
     * delete. A VM never deleted outlives the trace.
     */
    HUAWEI,

    /**
     * The project's own event file: the header {@code seconds,vm,event,mib,vcpus,snp}, then one
     * event a line: {@code launch} (with the VM's MiB, vCPUs and {@code true} or {@code false} for
     * SNP), {@code convert} (MiB converted from private to shared; the other cells empty) or
     * {@code destroy} (the other cells empty), in whole seconds from the start.
     */
    RMPOPT_EVENTS;

    /** The name a scenario file uses: {@code azure-v1}, {@code azure-v2}, {@code huawei}, {@code rmpopt-events}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The format a scenario file names, or empty. */
    public static java.util.Optional<TraceFormat> byFileName(String name) {
        for (TraceFormat f : values()) {
            if (f.fileName().equals(name)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }

    /** Reads {@code file}; see {@link TraceReader#read}. */
    List<TraceVm> read(Path file) throws IOException {
        return switch (this) {
            case AZURE_V1 -> AzureReader.read(file, false);
            case AZURE_V2 -> AzureReader.read(file, true);
            case HUAWEI -> HuaweiReader.read(file);
            case RMPOPT_EVENTS -> EventFileReader.read(file);
        };
    }
}
