package dev.rmpopt.experiments.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The project's own event file; see {@link TraceFormat#RMPOPT_EVENTS}. */
final class EventFileReader {

    static final String[] FIELDS = {"seconds", "vm", "event", "mib", "vcpus", "snp"};

    private EventFileReader() {
    }

    /** A VM being read: everything but its deletion. */
    private static final class Building {
        final long line;
        final long created;
        final int vcpus;
        final long bytes;
        final boolean snp;
        final List<TraceVm.Conversion> conversions = new ArrayList<>();
        OptionalLong deleted = OptionalLong.empty();

        Building(long line, long created, int vcpus, long bytes, boolean snp) {
            this.line = line;
            this.created = created;
            this.vcpus = vcpus;
            this.bytes = bytes;
            this.snp = snp;
        }
    }

    static List<TraceVm> read(Path file) throws IOException {
        Map<String, Building> vms = new LinkedHashMap<>();
        boolean[] first = {true};
        CsvRows.forEach(file, row -> {
            if (first[0]) {
                first[0] = false;
                for (int i = 0; i < FIELDS.length; i++) {
                    if (i >= row.size() || !row.cell(i).equals(FIELDS[i])) {
                        throw row.error(i, "header: the first line is " + String.join(",", FIELDS));
                    }
                }
                if (row.size() != FIELDS.length) {
                    throw row.error(FIELDS.length, "header: the first line is " + String.join(",", FIELDS));
                }
                return;
            }
            if (row.size() != FIELDS.length) {
                throw row.error(Math.min(row.size(), FIELDS.length), "expected " + FIELDS.length + " columns ("
                        + String.join(", ", FIELDS) + "), found " + row.size());
            }
            long seconds = Cells.whole(row, 0, "seconds");
            String vm = Cells.text(row, 1, "vm");
            String event = Cells.text(row, 2, "event");
            Building b = vms.get(vm);
            switch (event) {
                case "launch" -> {
                    if (b != null) {
                        throw row.error(1, "vm: '" + vm + "' is launched twice");
                    }
                    long mib = Cells.whole(row, 3, "mib");
                    if (mib < 1) {
                        throw row.error(3, "mib: must be > 0, was " + mib);
                    }
                    int vcpus = Cells.cores(row, 4, "vcpus", Cells.whole(row, 4, "vcpus"));
                    String snp = Cells.text(row, 5, "snp");
                    if (!snp.equals("true") && !snp.equals("false")) {
                        throw row.error(5, "snp: true or false, was '" + snp + "'");
                    }
                    vms.put(vm, new Building(row.line(), seconds, vcpus, Math.multiplyExact(mib, Cells.MIB), snp.equals("true")));
                }
                case "convert", "destroy" -> {
                    if (b == null) {
                        throw row.error(1, "vm: '" + vm + "' is not launched before this " + event);
                    }
                    if (b.deleted.isPresent()) {
                        throw row.error(1, "vm: '" + vm + "' was destroyed at " + b.deleted.getAsLong() + " s");
                    }
                    if (seconds < b.created) {
                        throw row.error(0, "seconds: " + seconds + " comes before the launch at " + b.created);
                    }
                    if (event.equals("convert")) {
                        long mib = Cells.whole(row, 3, "mib");
                        if (mib < 1) {
                            throw row.error(3, "mib: must be > 0, was " + mib);
                        }
                        b.conversions.add(new TraceVm.Conversion(seconds, Math.multiplyExact(mib, Cells.MIB)));
                    } else {
                        b.deleted = OptionalLong.of(seconds);
                    }
                }
                default -> throw row.error(2, "event: launch, convert or destroy, was '" + event + "'");
            }
        });
        List<TraceVm> out = new ArrayList<>();
        vms.forEach((id, b) -> out.add(new TraceVm(id, b.line, b.created, b.deleted, b.vcpus, b.bytes, Optional.empty(),
                Optional.empty(), Optional.of(b.snp), b.conversions)));
        return out;
    }
}
