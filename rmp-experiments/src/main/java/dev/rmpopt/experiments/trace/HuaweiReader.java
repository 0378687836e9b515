package dev.rmpopt.experiments.trace;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The Huawei Cloud VM trace: {@code vmid, cpu, memory, time, type}; see {@link TraceFormat#HUAWEI}. */
final class HuaweiReader {

    static final String[] FIELDS = {"vmid", "cpu", "memory", "time", "type"};

    private HuaweiReader() {
    }

    /** A VM created and not yet deleted while reading. */
    private record Open(long line, long created, int cores, long bytes) {
    }

    static List<TraceVm> read(Path file) throws IOException {
        Map<String, Open> open = new LinkedHashMap<>();
        Map<String, TraceVm> done = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        boolean[] first = {true};
        CsvRows.forEach(file, row -> {
            boolean header = first[0] && row.size() > 0 && row.cell(0).equalsIgnoreCase("vmid");
            first[0] = false;
            if (header) {
                for (int i = 0; i < FIELDS.length; i++) {
                    if (i >= row.size() || !row.cell(i).equalsIgnoreCase(FIELDS[i])) {
                        throw row.error(i, "header: expected " + String.join(",", FIELDS));
                    }
                }
                return;
            }
            if (row.size() != FIELDS.length) {
                throw row.error(Math.min(row.size(), FIELDS.length), "expected " + FIELDS.length + " columns ("
                        + String.join(", ", FIELDS) + "), found " + row.size());
            }
            String id = Cells.text(row, 0, "vmid");
            int cores = Cells.cores(row, 1, "cpu", Cells.whole(row, 1, "cpu"));
            BigDecimal gb = Cells.decimal(row, 2, "memory");
            long bytes = Cells.gbToBytes(row, 2, "memory", gb);
            long time = Cells.whole(row, 3, "time");
            long type = Cells.whole(row, 4, "type");
            if (type == 0) {
                if (open.containsKey(id) || done.containsKey(id)) {
                    throw row.error(0, "vmid: '" + id + "' is created twice");
                }
                open.put(id, new Open(row.line(), time, cores, bytes));
                order.add(id);
            } else if (type == 1) {
                Open o = open.remove(id);
                if (o == null) {
                    throw row.error(0, "vmid: '" + id + "' is deleted " + (done.containsKey(id) ? "twice" : "before it is created"));
                }
                if (time < o.created()) {
                    throw row.error(3, "time: the delete at " + time + " comes before the create at " + o.created());
                }
                done.put(id, TraceVm.of(id, o.line(), o.created(), OptionalLong.of(time), o.cores(), o.bytes(),
                        Optional.empty(), Optional.empty()));
            } else {
                throw row.error(4, "type: 0 (create) or 1 (delete), was " + row.cell(4));
            }
        });
        List<TraceVm> vms = new ArrayList<>();
        for (String id : order) {
            TraceVm vm = done.get(id);
            if (vm == null) {
                Open o = open.get(id);
                vm = TraceVm.of(id, o.line(), o.created(), OptionalLong.empty(), o.cores(), o.bytes(), Optional.empty(), Optional.empty());
            }
            vms.add(vm);
        }
        return vms;
    }
}
