package dev.rmpopt.experiments.scenario;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads scenario files, YAML or JSON (a {@code .json} name is read as JSON, any other as YAML),
 * over the default scenario: a field the file leaves out takes the value of
 * {@code scenarios/default.yaml} (built into the jar from that one file). A block the file gives
 * replaces the default's whole where its fields only make sense together: {@code host}, each
 * distribution, {@code workload.trace}, and every list; and a {@code workload.trace} drops the
 * default's drawn arrivals. Unknown fields are rejected; every field is validated, with its path.
 */
public final class ScenarioLoader {

    /** The default scenario's resource in the jar. */
    static final String DEFAULT_RESOURCE = "default.yaml";

    private static final List<String> REPLACED_WHOLE = List.of("host", "workload.arrivals", "workload.lifetime",
            "workload.vmSize", "workload.trace");

    private ScenarioLoader() {
    }

    /** The built-in default scenario. */
    public static Scenario loadDefault() throws ScenarioException {
        return loadDefault(Map.of(), Map.of());
    }

    /**
     * The default scenario with {@code overrides} (a dotted path such as {@code host.sockets} to its
     * value) set; a problem at an overridden path is named by {@code names} (the option that set
     * it), so that {@code --snp-fraction NaN} is reported as the option, not as the field.
     */
    public static Scenario loadDefault(Map<String, Object> overrides, Map<String, String> names) throws ScenarioException {
        ObjectNode tree = defaultTree();
        apply(tree, overrides);
        String text = tree.toString();
        return bind(tree, "built-in default scenario" + (overrides.isEmpty() ? "" : " with options"),
                sha256(overrides.isEmpty() ? defaultBytes() : text.getBytes(StandardCharsets.UTF_8)), names, Path.of("."));
    }

    /** The scenario in {@code file}, with {@code overrides} set as {@link #loadDefault(Map, Map)} does. */
    public static Scenario load(Path file, Map<String, Object> overrides, Map<String, String> names) throws ScenarioException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), List.of("cannot read the scenario: " + e));
        }
        ObjectMapper reader = file.getFileName().toString().endsWith(".json") ? new JsonMapper() : new YAMLMapper();
        JsonNode user;
        try {
            user = reader.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ScenarioException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()),
                    List.of("not " + (reader instanceof YAMLMapper ? "YAML" : "JSON") + ": " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), List.of("cannot read the scenario: " + e));
        }
        if (user == null || !user.isObject()) {
            throw new ScenarioException(file.toString(), List.of("a scenario is a mapping of fields (schema, name, host, ...)"));
        }
        ObjectNode tree = defaultTree();
        merge(tree, (ObjectNode) user, "");
        apply(tree, overrides);
        Path base = file.toAbsolutePath().getParent();
        return bind(tree, file.toString(), sha256(bytes), names, base);
    }

    /** A scenario from YAML text, over the default; relative trace paths start at {@code baseDir}. */
    public static Scenario parse(String yaml, Path baseDir) throws ScenarioException {
        JsonNode user;
        try {
            user = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ScenarioException("scenario", List.of("not YAML: " + e.getOriginalMessage()));
        }
        if (user == null || !user.isObject()) {
            throw new ScenarioException("scenario", List.of("a scenario is a mapping of fields (schema, name, host, ...)"));
        }
        ObjectNode tree = defaultTree();
        merge(tree, (ObjectNode) user, "");
        return bind(tree, "scenario", sha256(yaml.getBytes(StandardCharsets.UTF_8)), Map.of(), baseDir);
    }

    static byte[] defaultBytes() {
        try (InputStream in = ScenarioLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return Objects.requireNonNull(in, "the default scenario is built into the jar").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode defaultTree() {
        try {
            return (ObjectNode) new YAMLMapper().readTree(defaultBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Merges {@code user} into {@code base}: objects field by field, except the blocks replaced whole. */
    private static void merge(ObjectNode base, ObjectNode user, String prefix) {
        if (prefix.equals("workload.") && user.has("trace")) {
            for (String drawn : List.of("arrivals", "lifetime", "vmSize", "snpShare")) {
                base.remove(drawn);
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String path = prefix + e.getKey();
            JsonNode existing = base.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject() && !REPLACED_WHOLE.contains(path)) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue(), path + ".");
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void apply(ObjectNode tree, Map<String, Object> overrides) {
        ObjectMapper json = new JsonMapper();
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            ObjectNode node = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = node.get(parts[i]);
                if (next == null || !next.isObject()) {
                    next = node.putObject(parts[i]);
                }
                node = (ObjectNode) next;
            }
            node.set(parts[parts.length - 1], json.valueToTree(e.getValue()));
        }
    }

    private static ObjectMapper binder() {
        ObjectMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        m.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        m.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return m;
    }

    private static Scenario bind(ObjectNode tree, String source, String sha256, Map<String, String> names, Path baseDir)
            throws ScenarioException {
        ScenarioFile file;
        try {
            file = binder().treeToValue(tree, ScenarioFile.class);
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            throw new ScenarioException(source, List.of(names.getOrDefault(path, path) + ": unknown field; known here: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList())));
        } catch (JsonMappingException e) {
            String path = path(e);
            String message = e.getOriginalMessage();
            int cut = message.indexOf(" (");
            throw new ScenarioException(source, List.of(names.getOrDefault(path, path) + ": wrong type: "
                    + (cut > 0 ? message.substring(0, cut) : message)));
        } catch (JsonProcessingException e) {
            throw new ScenarioException(source, List.of(e.getOriginalMessage()));
        }
        ScenarioValidator validator = new ScenarioValidator(names, baseDir);
        Scenario scenario = validator.validate(file, source, sha256);
        if (scenario == null) {
            throw new ScenarioException(source, validator.problems());
        }
        return scenario;
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            } else {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            }
        }
        return b.length() == 0 ? "(top)" : b.toString();
    }

    /** The SHA-256 of {@code bytes}, hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
