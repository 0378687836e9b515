package dev.rmpopt.experiments.trace;

import java.math.BigDecimal;

/** Parses one cell of a row as a number, or fails naming the cell's line, column and field. */
final class Cells {

    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    private Cells() {
    }

    static String text(CsvRows.Row row, int i, String field) {
        String s = row.cell(i);
        if (s.isEmpty()) {
            throw row.error(i, field + ": empty");
        }
        return s;
    }

    /** A whole number >= 0. */
    static long whole(CsvRows.Row row, int i, String field) {
        String s = text(row, i, field);
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw row.error(i, field + ": must be >= 0, was " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw row.error(i, field + ": not a whole number: '" + s + "'");
        }
    }

    /** A finite decimal number >= 0 (BigDecimal's syntax: no NaN, no Infinity). */
    static BigDecimal decimal(CsvRows.Row row, int i, String field) {
        String s = text(row, i, field);
        try {
            BigDecimal v = new BigDecimal(s);
            if (v.signum() < 0) {
                throw row.error(i, field + ": must be >= 0, was " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw row.error(i, field + ": not a number: '" + s + "'");
        }
    }

    /** Gigabytes (read as GiB) to bytes, at least one byte. */
    static long gbToBytes(CsvRows.Row row, int i, String field, BigDecimal gb) {
        if (gb.signum() <= 0) {
            throw row.error(i, field + ": must be > 0, was " + row.cell(i));
        }
        if (gb.compareTo(BigDecimal.valueOf(1L << 30)) > 0) {
            throw row.error(i, field + ": implausibly large: " + row.cell(i) + " GB");
        }
        return gb.multiply(BigDecimal.valueOf(GIB)).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    /** A count of cores >= 1 that fits an int. */
    static int cores(CsvRows.Row row, int i, String field, long value) {
        if (value < 1 || value > 1 << 20) {
            throw row.error(i, field + ": must be between 1 and " + (1 << 20) + ", was " + row.cell(i));
        }
        return (int) value;
    }
}
