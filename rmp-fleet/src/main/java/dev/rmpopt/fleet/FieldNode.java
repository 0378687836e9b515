package dev.rmpopt.fleet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node of a parsed fleet file with its field path ({@code hosts[1].memoryGib}) and where it is in
 * the file, so that every complaint names both. Typed getters reject what is not of the expected
 * kind; {@link #onlyFields} rejects unknown fields (typos), which would otherwise be ignored.
 */
final class FieldNode {

    private final String file;
    private final Map<String, JsonLocation> locations;
    private final JsonNode node;
    private final String path;
    private final String pointer;

    FieldNode(String file, Map<String, JsonLocation> locations, JsonNode node, String path, String pointer) {
        this.file = file;
        this.locations = locations;
        this.node = node;
        this.path = path;
        this.pointer = pointer;
    }

    String path() {
        return path.isEmpty() ? "(top level)" : path;
    }

    boolean isMissing() {
        return node == null || node.isMissingNode() || node.isNull();
    }

    JsonNode raw() {
        return node;
    }

    FieldNode field(String name) {
        JsonNode child = node == null ? null : node.get(name);
        return new FieldNode(file, locations, child, path.isEmpty() ? name : path + "." + name, pointer + "/" + name);
    }

    List<FieldNode> elements() throws FleetFileException {
        if (!node.isArray()) {
            throw error("must be a list");
        }
        List<FieldNode> list = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            list.add(new FieldNode(file, locations, node.get(i), path + "[" + i + "]", pointer + "/" + i));
        }
        return list;
    }

    FieldNode object() throws FleetFileException {
        if (isMissing() || !node.isObject()) {
            throw error(isMissing() ? "is required" : "must be a mapping of fields");
        }
        return this;
    }

    void onlyFields(Set<String> known) throws FleetFileException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw field(name).error("is not a known field; known here: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    String text() throws FleetFileException {
        if (isMissing()) {
            throw error("is required");
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw error("must be a non-empty text, not " + node);
        }
        return node.asText();
    }

    String text(String fallback) throws FleetFileException {
        return isMissing() ? fallback : text();
    }

    long wholeAtLeast(long min) throws FleetFileException {
        if (isMissing()) {
            throw error("is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min) {
            throw error("must be a whole number >= " + min + ", not " + node);
        }
        return node.asLong();
    }

    long wholeAtLeast(long min, long fallback) throws FleetFileException {
        return isMissing() ? fallback : wholeAtLeast(min);
    }

    int intIn(int min, int max, int fallback) throws FleetFileException {
        if (isMissing()) {
            return fallback;
        }
        return intIn(min, max);
    }

    int intIn(int min, int max) throws FleetFileException {
        long value = wholeAtLeast(min);
        if (value > max) {
            throw error("must be a whole number from " + min + " to " + max + ", not " + node);
        }
        return (int) value;
    }

    double number(double min, double max) throws FleetFileException {
        if (isMissing()) {
            throw error("is required");
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < min || node.asDouble() > max) {
            throw error("must be a number from " + min + " to " + (max == Double.MAX_VALUE ? "any" : max) + ", not " + node);
        }
        return node.asDouble();
    }

    double number(double min, double max, double fallback) throws FleetFileException {
        return isMissing() ? fallback : number(min, max);
    }

    double positive() throws FleetFileException {
        double value = number(0, Double.MAX_VALUE);
        if (value <= 0) {
            throw error("must be a positive number, not " + node);
        }
        return value;
    }

    boolean bool(boolean fallback) throws FleetFileException {
        if (isMissing()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw error("must be true or false, not " + node);
        }
        return node.asBoolean();
    }

    /** An error at this node: {@code file:line:column: path: message}. */
    FleetFileException error(String message) {
        return new FleetFileException(where() + path() + ": " + message);
    }

    private String where() {
        String at = pointer;
        while (true) {
            JsonLocation location = locations.get(at);
            if (location != null) {
                return file + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
            }
            if (at.isEmpty()) {
                return file + ": ";
            }
            at = at.substring(0, at.lastIndexOf('/'));
        }
    }
}
