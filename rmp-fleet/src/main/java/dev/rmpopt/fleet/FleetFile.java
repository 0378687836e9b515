package dev.rmpopt.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kvm.Distribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Reads a fleet description, YAML or JSON (by the file's extension: {@code .json} is JSON, anything
 * else YAML), and validates every field before anything runs; the schema is in the module README.
 * A problem is a {@link FleetFileException} naming the file, line and column, and the field's path.
 * A trace file named by the workload is resolved against the fleet file's directory; the output
 * directory against the working directory.
 */
public final class FleetFile {

    /** The schema version this reader knows. */
    public static final int VERSION = 1;

    private static final long SECOND = EventScheduler.SECOND;

    private FleetFile() {
    }

    /** Reads and validates {@code file}. */
    public static FleetSpec read(Path file) throws FleetFileException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new FleetFileException(file + ": cannot read the fleet file: " + e);
        }
        return parse(file.toString(), text, file.toAbsolutePath().getParent());
    }

    /** Parses and validates {@code text}, named {@code name} in messages; relative trace paths resolve against {@code base}. */
    public static FleetSpec parse(String name, String text, Path base) throws FleetFileException {
        JsonFactory factory = name.endsWith(".json") ? new JsonFactory() : new YAMLFactory();
        Map<String, JsonLocation> locations = new HashMap<>();
        JsonNode root;
        try {
            try (JsonParser parser = factory.createParser(text)) {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token == JsonToken.FIELD_NAME || token.isScalarValue()) {
                        locations.putIfAbsent(parser.getParsingContext().pathAsPointer().toString(), parser.currentTokenLocation());
                    }
                }
            }
            root = new ObjectMapper(factory).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new FleetFileException(name + (at != null ? ":" + at.getLineNr() + ":" + at.getColumnNr() : "")
                    + ": not valid " + (factory instanceof YAMLFactory ? "YAML" : "JSON") + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new FleetFileException(name + ": cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new FleetFileException(name + ": the fleet file is empty");
        }
        return spec(new FieldNode(name, locations, root, "", "").object(), base);
    }

    private static FleetSpec spec(FieldNode top, Path base) throws FleetFileException {
        top.onlyFields(Set.of("version", "name", "seed", "durationMinutes", "sampleSeconds", "hosts", "workload", "guests",
                "schedulers", "policy", "placement", "backend", "vcpuOvercommit", "outputs"));
        long version = top.field("version").wholeAtLeast(1);
        if (version != VERSION) {
            throw top.field("version").error("this rmpopt reads fleet files of version " + VERSION + ", not " + version);
        }
        String name = top.field("name").text("fleet");
        long seed = top.field("seed").wholeAtLeast(Long.MIN_VALUE, 42);
        long duration = nanos(top.field("durationMinutes"), 60 * SECOND);
        FieldNode sampleField = top.field("sampleSeconds");
        long sample = sampleField.isMissing() ? 60 * SECOND : nanos(sampleField, SECOND);
        if (sample > duration) {
            throw sampleField.error("the sampling interval cannot exceed the simulated time");
        }
        List<HostGroup> hosts = hosts(top.field("hosts"));
        FleetWorkload workload = workload(top.field("workload").object(), base);
        GuestSpec guests = guests(top.field("guests"));
        List<String> schedulers = schedulers(top.field("schedulers"));
        FieldNode policyField = top.field("policy");
        String policy = policyField.text("v8-v10");
        try {
            Policies.named(policy);
        } catch (IllegalArgumentException e) {
            throw policyField.error(e.getMessage());
        }
        FieldNode placementField = top.field("placement");
        String placement = placementField.text("pack");
        if (!placement.equals("pack") && !placement.equals("scatter")) {
            throw placementField.error("is pack or scatter, not '" + placement + "'");
        }
        FieldNode backendField = top.field("backend");
        String backend = backendField.text("scalable");
        try {
            RmpBackendProvider.named(backend);
        } catch (NoSuchElementException e) {
            throw backendField.error(e.getMessage());
        }
        double overcommit = top.field("vcpuOvercommit").number(0.01, 1000, 1.0);
        FleetSpec.Outputs outputs = outputs(top.field("outputs"));
        return new FleetSpec(name, seed, duration, sample, hosts, workload, guests, schedulers, policy, placement, backend,
                overcommit, outputs);
    }

    /** A time in the node's unit ({@code unitNanos}), at least one nanosecond. */
    private static long nanos(FieldNode node, long unitNanos) throws FleetFileException {
        double value = node.positive();
        double nanos = value * unitNanos;
        if (nanos >= Long.MAX_VALUE / 4 || nanos < 1) {
            throw node.error("is out of range: " + value);
        }
        return (long) nanos;
    }

    private static List<HostGroup> hosts(FieldNode node) throws FleetFileException {
        if (node.isMissing()) {
            throw node.error("is required: a list of host shapes and counts");
        }
        List<HostGroup> groups = new ArrayList<>();
        Set<String> shapes = new HashSet<>();
        for (FieldNode g : node.elements()) {
            g.object().onlyFields(Set.of("shape", "count", "memoryGib", "sockets", "coresPerSocket", "threadsPerCore",
                    "numaNodesPerSocket"));
            String shape = g.field("shape").text();
            if (!shape.matches("[A-Za-z0-9_.-]+")) {
                throw g.field("shape").error("is letters, digits, '.', '_' and '-', not '" + shape + "'");
            }
            if (!shapes.add(shape)) {
                throw g.field("shape").error("names a shape listed before: " + shape);
            }
            HostGroup group = new HostGroup(shape, g.field("count").intIn(1, 10_000_000),
                    g.field("memoryGib").wholeAtLeast(1), g.field("sockets").intIn(1, 8, 1),
                    g.field("coresPerSocket").intIn(1, 4096), g.field("threadsPerCore").intIn(1, 2, 2),
                    g.field("numaNodesPerSocket").intIn(1, 16, 1));
            try {
                group.description();
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw g.error("is not a host the model can build: " + e.getMessage());
            }
            groups.add(group);
        }
        if (groups.isEmpty()) {
            throw node.error("lists no host");
        }
        return groups;
    }

    private static FleetWorkload workload(FieldNode node, Path base) throws FleetFileException {
        node.onlyFields(Set.of("synthetic", "trace"));
        FieldNode synthetic = node.field("synthetic");
        FieldNode trace = node.field("trace");
        if (synthetic.isMissing() == trace.isMissing()) {
            throw node.error("needs exactly one of synthetic or trace");
        }
        if (!synthetic.isMissing()) {
            FieldNode s = synthetic.object();
            s.onlyFields(Set.of("vmsPerHour", "lifetimeMinutes", "vmGib", "vcpusPerGib", "snpFraction"));
            return new FleetWorkload.Synthetic(s.field("vmsPerHour").positive(),
                    distribution(s.field("lifetimeMinutes").object(), 60 * SECOND),
                    distribution(s.field("vmGib").object(), 1), s.field("vcpusPerGib").number(0.001, 1024, 0.25),
                    s.field("snpFraction").number(0, 1, 0.5));
        }
        FieldNode t = trace.object();
        t.onlyFields(Set.of("file", "format", "snpFraction", "timeScale", "startSeconds"));
        FieldNode fileField = t.field("file");
        Path file = base == null ? Path.of(fileField.text()) : base.resolve(fileField.text());
        if (!Files.isReadable(file)) {
            throw fileField.error("names no readable file: " + file);
        }
        FieldNode formatField = t.field("format");
        String format = formatField.text();
        if (!TraceSources.names().contains(format)) {
            throw formatField.error("is one of " + String.join(", ", TraceSources.names()) + ", not '" + format + "'");
        }
        FieldNode start = t.field("startSeconds");
        return new FleetWorkload.Trace(file, format, t.field("snpFraction").number(0, 1, 0.5),
                t.field("timeScale").number(1e-6, 1e6, 1.0), start.isMissing() ? 0 : (long) (start.number(0, 1e12) * SECOND));
    }

    /** A distribution of whole values in the node's unit, scaled to {@code unit} (nanoseconds per minute, or 1). */
    private static Distribution distribution(FieldNode node, long unit) throws FleetFileException {
        FieldNode kindField = node.field("distribution");
        String kind = kindField.text();
        try {
            switch (kind) {
                case "fixed":
                    node.onlyFields(Set.of("distribution", "value"));
                    return new Distribution.Fixed(scaled(node.field("value"), unit));
                case "exponential":
                    node.onlyFields(Set.of("distribution", "mean"));
                    return new Distribution.Exponential(scaled(node.field("mean"), unit));
                case "lognormal":
                    node.onlyFields(Set.of("distribution", "median", "sigma"));
                    return new Distribution.LogNormal(scaled(node.field("median"), unit), node.field("sigma").number(0, 10));
                case "uniform":
                    node.onlyFields(Set.of("distribution", "min", "max"));
                    long min = scaled(node.field("min"), unit);
                    long max = scaled(node.field("max"), unit);
                    if (max < min) {
                        throw node.field("max").error("must not be below min");
                    }
                    return new Distribution.Uniform(min, max);
                case "weighted":
                    node.onlyFields(Set.of("distribution", "values", "weights"));
                    List<Long> values = new ArrayList<>();
                    for (FieldNode v : node.field("values").elements()) {
                        values.add(scaled(v, unit));
                    }
                    List<Double> weights = new ArrayList<>();
                    FieldNode weightsField = node.field("weights");
                    if (weightsField.isMissing()) {
                        values.forEach(v -> weights.add(1.0));
                    } else {
                        for (FieldNode w : weightsField.elements()) {
                            weights.add(w.positive());
                        }
                    }
                    if (values.isEmpty() || values.size() != weights.size()) {
                        throw node.field("values").error("needs one value at least, and as many weights as values");
                    }
                    return new Distribution.Weighted(values, weights);
                default:
                    throw kindField.error("is fixed, exponential, lognormal, uniform or weighted, not '" + kind + "'");
            }
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static long scaled(FieldNode node, long unit) throws FleetFileException {
        if (unit == 1) {
            return node.wholeAtLeast(1);
        }
        double value = node.positive() * unit;
        if (value >= Long.MAX_VALUE / 4) {
            throw node.error("is out of range");
        }
        return Math.max(1, (long) value);
    }

    private static GuestSpec guests(FieldNode node) throws FleetFileException {
        if (node.isMissing()) {
            return new GuestSpec(0.6, 60 * SECOND, 64L << 20, 0, 20, 20, 20, 0);
        }
        node.object().onlyFields(Set.of("acceptFraction", "acceptRampSeconds", "bounceMib", "conversionsPerVmPerHour",
                "deviceWritesPerSecond", "snpGuestWritesPerSecond", "legacyGuestWritesPerSecond", "hostWritesPerSecond"));
        FieldNode bounce = node.field("bounceMib");
        long bounceMib = bounce.wholeAtLeast(0, 64);
        if (bounceMib % 4 != 0) {
            throw bounce.error("is whole 4 MiB chunks, not " + bounceMib);
        }
        FieldNode ramp = node.field("acceptRampSeconds");
        try {
            return new GuestSpec(node.field("acceptFraction").number(0, 1, 0.6), ramp.isMissing() ? 60 * SECOND : nanos(ramp, SECOND),
                    bounceMib << 20, node.field("conversionsPerVmPerHour").number(0, 3600, 0),
                    node.field("deviceWritesPerSecond").intIn(0, 1_000_000, 20),
                    node.field("snpGuestWritesPerSecond").intIn(0, 1_000_000, 20),
                    node.field("legacyGuestWritesPerSecond").intIn(0, 1_000_000, 20),
                    node.field("hostWritesPerSecond").intIn(0, 1_000_000, 0));
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static List<String> schedulers(FieldNode node) throws FleetFileException {
        if (node.isMissing()) {
            return List.of(Schedulers.SNP_AWARE);
        }
        List<FieldNode> items = node.raw().isTextual() ? List.of(node) : node.elements();
        List<String> names = new ArrayList<>();
        for (FieldNode item : items) {
            String name = item.text();
            if (!Schedulers.names().contains(name)) {
                throw item.error("is one of " + String.join(", ", Schedulers.names()) + ", not '" + name + "'");
            }
            if (names.contains(name)) {
                throw item.error("names a scheduler listed before: " + name);
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw node.error("lists no scheduler");
        }
        return names;
    }

    private static FleetSpec.Outputs outputs(FieldNode node) throws FleetFileException {
        if (node.isMissing()) {
            return new FleetSpec.Outputs(Path.of("fleet-out"), true, true, true);
        }
        node.object().onlyFields(Set.of("dir", "parquet", "json", "html"));
        return new FleetSpec.Outputs(Path.of(node.field("dir").text("fleet-out")), node.field("parquet").bool(true),
                node.field("json").bool(true), node.field("html").bool(true));
    }
}
