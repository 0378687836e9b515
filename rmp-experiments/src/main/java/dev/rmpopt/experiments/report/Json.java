package dev.rmpopt.experiments.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the outputs: indented, keys in the order given. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {
    }

    static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    /** A double for JSON: NaN and infinities (no JSON number) become null. */
    static JsonNode number(double v) {
        return Double.isFinite(v) ? MAPPER.getNodeFactory().numberNode(v) : MAPPER.getNodeFactory().nullNode();
    }
}
