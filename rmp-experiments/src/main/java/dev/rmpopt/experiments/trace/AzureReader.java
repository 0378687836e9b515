package dev.rmpopt.experiments.trace;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The Azure Public Dataset VM table, V1 (values) or V2 (buckets); see {@link TraceFormat}. */
final class AzureReader {

    static final String[] FIELDS = {"vmid", "subscriptionid", "deploymentid", "vmcreated", "vmdeleted", "maxcpu", "avgcpu",
        "p95maxcpu", "vmcategory", "vmcorecount", "vmmemory"};

    private AzureReader() {
    }

    static List<TraceVm> read(Path file, boolean buckets) throws IOException {
        List<TraceVm> vms = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cores = buckets ? "vmcorecountbucket" : "vmcorecount";
        String memory = buckets ? "vmmemorybucket" : "vmmemory";
        CsvRows.forEach(file, row -> {
            if (row.size() != FIELDS.length) {
                throw row.error(Math.min(row.size(), FIELDS.length), "expected " + FIELDS.length + " columns ("
                        + String.join(", ", FIELDS).replace("vmcorecount", cores).replace("vmmemory", memory)
                        + "), found " + row.size());
            }
            String id = Cells.text(row, 0, "vmid");
            if (!seen.add(id)) {
                throw row.error(0, "vmid: '" + id + "' appears twice");
            }
            long created = Cells.whole(row, 3, "vmcreated");
            OptionalLong deleted = row.cell(4).isEmpty() ? OptionalLong.empty() : OptionalLong.of(Cells.whole(row, 4, "vmdeleted"));
            if (buckets) {
                multipleOf300(row, 3, "vmcreated", created);
                if (deleted.isPresent()) {
                    multipleOf300(row, 4, "vmdeleted", deleted.getAsLong());
                }
            }
            if (deleted.isPresent() && deleted.getAsLong() < created) {
                throw row.error(4, "vmdeleted: " + deleted.getAsLong() + " comes before vmcreated " + created);
            }
            for (int i = 5; i <= 7; i++) {
                Cells.decimal(row, i, FIELDS[i]);
            }
            int vcpus;
            long bytes;
            if (buckets) {
                vcpus = Cells.cores(row, 9, cores, bucket(row, 9, cores).longValueExact());
                bytes = Cells.gbToBytes(row, 10, memory, bucket(row, 10, memory));
            } else {
                vcpus = Cells.cores(row, 9, cores, Cells.whole(row, 9, cores));
                bytes = Cells.gbToBytes(row, 10, memory, Cells.decimal(row, 10, memory));
            }
            vms.add(TraceVm.of(id, row.line(), created, deleted, vcpus, bytes, Optional.of(row.cell(8)).filter(s -> !s.isEmpty()),
                    Optional.of(row.cell(1)).filter(s -> !s.isEmpty())));
        });
        return vms;
    }

    private static void multipleOf300(CsvRows.Row row, int i, String field, long seconds) {
        if (seconds % 300 != 0) {
            throw row.error(i, field + ": V2 times are multiples of 300 s, was " + seconds);
        }
    }

    /** A bucket: a whole number, or an open top bucket {@code >N}, read as 2N. */
    private static BigDecimal bucket(CsvRows.Row row, int i, String field) {
        String s = Cells.text(row, i, field);
        boolean open = s.startsWith(">");
        String digits = open ? s.substring(1).trim() : s;
        long v;
        try {
            v = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw row.error(i, field + ": not a bucket (a whole number or >N): '" + s + "'");
        }
        if (v < 1) {
            throw row.error(i, field + ": must be >= 1, was " + s);
        }
        return BigDecimal.valueOf(open ? 2 * v : v);
    }
}
