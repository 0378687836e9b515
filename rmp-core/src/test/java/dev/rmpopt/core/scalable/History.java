package dev.rmpopt.core.scalable;

import java.util.Arrays;

/**
 * One thread's record of what it did and saw, stamped with a global clock read before each call
 * started and after it returned. Kept as a flat {@code long[]} so recording is cheap and
 * allocation-free enough not to hide races.
 */
final class History {
    static final int KIND = 0;
    static final int START = 1;
    static final int END = 2;
    static final int CPU = 3;
    static final int REGION = 4;
    static final int PAGE = 5;
    static final int WIDTH = 6;

    /** An owner's RMPUPDATE (or 2M update) that made its region dirty. */
    static final int ASSIGN = 1;
    /** An owner's RMPUPDATE that made its region clean again. */
    static final int CLEAN = 2;
    static final int WRITE_SKIPPED = 3;
    static final int WRITE_CHECKED = 4;
    static final int WRITE_FAULTED = 5;
    static final int VERIFY_SET = 6;
    static final int VERIFY_CLEAR = 7;
    static final int REPORT_SET = 8;
    static final int REPORT_CLEAR = 9;
    /** RMPREAD saw an assigned entry. */
    static final int READ_ASSIGNED = 10;

    private long[] records = new long[WIDTH * 4096];
    private int size;

    void add(int kind, long start, long end, int cpu, long region, long page) {
        if (size + WIDTH > records.length) {
            records = Arrays.copyOf(records, records.length * 2);
        }
        records[size + KIND] = kind;
        records[size + START] = start;
        records[size + END] = end;
        records[size + CPU] = cpu;
        records[size + REGION] = region;
        records[size + PAGE] = page;
        size += WIDTH;
    }

    int count() {
        return size / WIDTH;
    }

    long get(int record, int field) {
        return records[record * WIDTH + field];
    }
}
