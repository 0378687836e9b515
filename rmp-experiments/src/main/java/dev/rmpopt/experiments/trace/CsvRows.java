package dev.rmpopt.experiments.trace;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads a CSV file, plain or gzipped (told by its first two bytes, not its name), row by row with
 * Jackson's CSV parser, keeping each cell's line and column for messages.
 */
final class CsvRows {

    private static final CsvMapper MAPPER = new CsvMapper();

    private CsvRows() {
    }

    /** One row: its cells and where each began. */
    record Row(Path file, long line, List<String> cells, List<Long> columns, long endColumn) {

        int size() {
            return cells.size();
        }

        String cell(int i) {
            return cells.get(i);
        }

        /** A problem in cell {@code i} (0-based), or at the row's end when it has fewer cells. */
        TraceException error(int i, String problem) {
            return new TraceException(file, line, i < columns.size() ? columns.get(i) : endColumn, problem);
        }
    }

    static void forEach(Path file, Consumer<Row> action) throws IOException {
        try (InputStream in = open(file); Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
             JsonParser parser = MAPPER.getFactory().createParser(reader)) {
            CsvParser csv = (CsvParser) parser;
            csv.setSchema(CsvSchema.emptySchema());
            csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            csv.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
            csv.enable(CsvParser.Feature.TRIM_SPACES);
            try {
                JsonToken token = csv.nextToken(); // the outer array
                if (token == null) {
                    return;
                }
                while ((token = csv.nextToken()) == JsonToken.START_ARRAY) {
                    long line = -1;
                    List<String> cells = new ArrayList<>();
                    List<Long> columns = new ArrayList<>();
                    while ((token = csv.nextToken()) != JsonToken.END_ARRAY) {
                        // a value token's location is exact (1-based); the array's is not
                        JsonLocation at = csv.currentTokenLocation();
                        if (line < 0) {
                            line = at.getLineNr();
                        }
                        columns.add((long) Math.max(1, at.getColumnNr()));
                        cells.add(csv.getText());
                    }
                    if (cells.size() == 1 && cells.get(0).isEmpty()) {
                        continue; // an empty line
                    }
                    long end = columns.isEmpty() ? 1 : columns.get(columns.size() - 1) + cells.get(cells.size() - 1).length();
                    action.accept(new Row(file, line, List.copyOf(cells), List.copyOf(columns), end));
                }
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                throw new TraceException(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : Math.max(1, at.getColumnNr()),
                        "not CSV: " + e.getOriginalMessage());
            }
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in)) : in;
    }
}
