package dev.rmpopt.experiments.scenario;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.experiments.Placements;
import dev.rmpopt.experiments.trace.TraceException;
import dev.rmpopt.experiments.trace.TraceFormat;
import dev.rmpopt.experiments.trace.TraceReader;
import dev.rmpopt.experiments.trace.TraceRules;
import dev.rmpopt.experiments.trace.TraceVm;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kvm.Arrivals;
import dev.rmpopt.kvm.Distribution;
import dev.rmpopt.kvm.GuestBehaviour;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Checks every field of a bound {@link ScenarioFile} and builds the {@link Scenario}, collecting
 * every problem with its field's path; reads the trace, if any, so that a bad row is found before
 * the first simulated second.
 */
final class ScenarioValidator {

    private static final long SECOND = 1_000_000_000L;
    private static final long CHUNK = 4L << 20;

    /** The host presets, by name: sockets, cores per socket, threads per core, NPS, GiB. */
    static final Map<String, long[]> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("venice-2tib", new long[] {2, 256, 2, 1, 2048});
        PRESETS.put("venice-24tib", new long[] {2, 256, 2, 1, 24576});
        PRESETS.put("small-64gib", new long[] {1, 16, 2, 1, 64});
    }

    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> names;
    private final Path baseDir;

    /**
     * @param names   how to name a path in messages (a command-line option set it), else the path
     * @param baseDir the directory relative trace paths start from
     */
    ScenarioValidator(Map<String, String> names, Path baseDir) {
        this.names = names;
        this.baseDir = baseDir;
    }

    List<String> problems() {
        return problems;
    }

    void problem(String path, String message) {
        problems.add(names.getOrDefault(path, path) + ": " + message);
    }

    private boolean present(String path, Object value) {
        if (value == null) {
            problem(path, "missing");
            return false;
        }
        return true;
    }

    /** The scenario, or null with {@link #problems()} saying why. */
    Scenario validate(ScenarioFile f, String source, String sha256) {
        if (f.schema == null) {
            problem("schema", "missing; this build reads schema " + Scenario.SCHEMA_VERSION);
        } else if (f.schema != Scenario.SCHEMA_VERSION) {
            problem("schema", "this build reads schema " + Scenario.SCHEMA_VERSION + ", not " + f.schema);
        }
        String name = f.name == null || f.name.isBlank() ? "unnamed" : f.name;
        if (f.name != null && !f.name.matches("[A-Za-z0-9._-]{1,64}")) {
            problem("name", "letters, digits, '.', '_' and '-' only (1-64), was '" + f.name + "'");
        }
        Scenario.HostSpec host = host(f.host);
        HostDescription description = null;
        if (host != null) {
            try {
                description = host.description();
            } catch (IllegalArgumentException e) {
                problem("host", e.getMessage());
            }
        }
        String backend = f.backend == null ? "scalable" : f.backend;
        try {
            RmpBackendProvider.named(backend);
        } catch (RuntimeException e) {
            problem("backend", e.getMessage());
        }
        long duration = seconds("durationSeconds", f.durationSeconds, true);
        long sample = seconds("sampleSeconds", f.sampleSeconds, false);
        List<Long> seeds = seeds(f.seeds);
        List<PolicySpec> policies = policies(f.policies);
        List<String> placements = placements(f.placements);
        Scenario.WorkloadSpec workload = workload(f.workload, description, duration > 0);
        Scenario.OutputSpec outputs = outputs(f.outputs);
        if (!problems.isEmpty()) {
            return null;
        }
        return new Scenario(f.schema, name, f.description == null ? "" : f.description, source, sha256, host, backend,
                duration, sample, seeds, policies, placements, workload, outputs);
    }

    private Scenario.HostSpec host(ScenarioFile.Host h) {
        if (!present("host", h)) {
            return null;
        }
        long[] p = null;
        if (h.preset != null) {
            p = PRESETS.get(h.preset);
            if (p == null) {
                problem("host.preset", "no preset named '" + h.preset + "'; known: " + String.join(", ", PRESETS.keySet()));
                return null;
            }
        }
        Long sockets = pick("host.sockets", h.sockets, p, 0);
        Long cores = pick("host.coresPerSocket", h.coresPerSocket, p, 1);
        Long threads = pick("host.threadsPerCore", h.threadsPerCore, p, 2);
        Long nps = h.numaNodesPerSocket != null ? Long.valueOf(h.numaNodesPerSocket) : p != null ? Long.valueOf(p[3]) : Long.valueOf(1);
        Long gib = h.memoryGib != null ? h.memoryGib : p != null ? Long.valueOf(p[4]) : null;
        if (gib == null) {
            problem("host.memoryGib", "missing (or give host.preset)");
        }
        if (sockets == null || cores == null || threads == null || gib == null) {
            return null;
        }
        int before = problems.size();
        range("host.sockets", sockets, 1, 8);
        range("host.coresPerSocket", cores, 1, 1024);
        if (threads != 1 && threads != 2) {
            problem("host.threadsPerCore", "must be 1 or 2, was " + threads);
        }
        if (nps != 1 && nps != 2 && nps != 4) {
            problem("host.numaNodesPerSocket", "NPS is 1, 2 or 4, was " + nps);
        } else if (cores % nps != 0) {
            problem("host.numaNodesPerSocket", nps + " does not divide the " + cores + " cores of a socket evenly");
        }
        range("host.memoryGib", gib, 4, 64L * 1024);
        if (problems.size() > before) {
            return null;
        }
        return new Scenario.HostSpec(h.preset == null ? "custom" : h.preset,
                new CpuTopology(sockets.intValue(), cores.intValue(), threads.intValue(), nps.intValue()), gib);
    }

    private Long pick(String path, Integer value, long[] preset, int i) {
        if (value != null) {
            return value.longValue();
        }
        if (preset != null) {
            return preset[i];
        }
        problem(path, "missing (or give host.preset)");
        return null;
    }

    private boolean range(String path, long value, long min, long max) {
        if (value < min || value > max) {
            problem(path, "must be between " + min + " and " + max + ", was " + value);
            return false;
        }
        return true;
    }

    private boolean finite(String path, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            problem(path, "must be a finite number, was " + value);
            return false;
        }
        return true;
    }

    private boolean share(String path, Double value) {
        if (!present(path, value) || !finite(path, value)) {
            return false;
        }
        if (value < 0 || value > 1) {
            problem(path, "must be between 0 and 1, was " + fmt(value));
            return false;
        }
        return true;
    }

    private long seconds(String path, Double value, boolean zeroAllowed) {
        if (!present(path, value) || !finite(path, value)) {
            return 0;
        }
        if (zeroAllowed ? value < 0 : value <= 0) {
            problem(path, "must be " + (zeroAllowed ? ">= 0" : "> 0") + ", was " + fmt(value));
            return 0;
        }
        if (value > 365 * 86400.0) {
            problem(path, "at most a year (31536000), was " + fmt(value));
            return 0;
        }
        return Math.round(value * SECOND);
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private List<Long> seeds(List<Long> seeds) {
        if (!present("seeds", seeds)) {
            return List.of();
        }
        if (seeds.isEmpty()) {
            problem("seeds", "give at least one seed");
        }
        if (seeds.size() > 1000) {
            problem("seeds", "at most 1000 seeds, was " + seeds.size());
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < seeds.size(); i++) {
            if (seeds.get(i) == null) {
                problem("seeds[" + i + "]", "missing");
            } else if (!seen.add(seeds.get(i))) {
                problem("seeds[" + i + "]", seeds.get(i) + " appears twice");
            }
        }
        return seeds;
    }

    private List<PolicySpec> policies(List<ScenarioFile.Policy> policies) {
        List<PolicySpec> out = new ArrayList<>();
        if (!present("policies", policies)) {
            return out;
        }
        if (policies.isEmpty()) {
            problem("policies", "give at least one policy; known: " + String.join(", ", Policies.names()));
        }
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < policies.size(); i++) {
            String at = "policies[" + i + "]";
            ScenarioFile.Policy p = policies.get(i);
            if (!present(at, p) || !present(at + ".name", p.name)) {
                continue;
            }
            if (!Policies.names().contains(p.name)) {
                problem(at + ".name", "no policy named '" + p.name + "'; known: " + String.join(", ", Policies.names()));
                continue;
            }
            boolean delayed = List.of("v3-v7", "v8-v10", "targeted").contains(p.name);
            OptionalLong delay = OptionalLong.empty();
            if (p.delaySeconds != null) {
                if (!delayed) {
                    problem(at + ".delaySeconds", p.name + " has no delay (v3-v7, v8-v10 and targeted do)");
                } else {
                    delay = OptionalLong.of(seconds(at + ".delaySeconds", p.delaySeconds, true));
                }
            }
            if (p.debounce != null && !p.name.equals("targeted")) {
                problem(at + ".debounce", "only the targeted policy takes it (v3-v7 never debounces, v8-v10 always does)");
            }
            OptionalLong manual = p.manualPassEverySeconds == null ? OptionalLong.empty()
                    : OptionalLong.of(seconds(at + ".manualPassEverySeconds", p.manualPassEverySeconds, false));
            if (manual.isPresent() && manual.getAsLong() == 0) {
                continue;
            }
            PolicySpec spec = new PolicySpec(p.name, delay, Optional.ofNullable(p.debounce), manual);
            if (!labels.add(spec.label())) {
                problem(at, "'" + spec.label() + "' appears twice");
            }
            out.add(spec);
        }
        return out;
    }

    private List<String> placements(List<String> placements) {
        if (!present("placements", placements)) {
            return List.of();
        }
        if (placements.isEmpty()) {
            problem("placements", "give at least one; known: " + String.join(", ", Placements.NAMES));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < placements.size(); i++) {
            String p = placements.get(i);
            if (p == null || !Placements.NAMES.contains(p)) {
                problem("placements[" + i + "]", "no placement named '" + p + "'; known: " + String.join(", ", Placements.NAMES));
            } else if (!seen.add(p)) {
                problem("placements[" + i + "]", "'" + p + "' appears twice");
            }
        }
        return placements;
    }

    private Scenario.WorkloadSpec workload(ScenarioFile.Workload w, HostDescription host, boolean churns) {
        if (!present("workload", w)) {
            return null;
        }
        GuestBehaviour guests = guests(w);
        int hostWrites = 0;
        if (present("workload.writes", w.writes) && present("workload.writes.hostPerSecond", w.writes.hostPerSecond)) {
            hostWrites = w.writes.hostPerSecond;
            range("workload.writes.hostPerSecond", hostWrites, 0, 1_000_000);
        }
        if (w.trace != null) {
            for (String[] other : new String[][] {{"arrivals", String.valueOf(w.arrivals != null)},
                {"lifetime", String.valueOf(w.lifetime != null)}, {"vmSize", String.valueOf(w.vmSize != null)},
                {"snpShare", String.valueOf(w.snpShare != null)}}) {
                if (Boolean.parseBoolean(other[1])) {
                    problem("workload." + other[0], "a trace gives the VMs: drop workload." + other[0]
                            + (other[0].equals("snpShare") ? " (use workload.trace.snpShare)" : ""));
                }
            }
            Scenario.TraceSpec trace = trace(w.trace, host, guests);
            return guests == null ? null : new Scenario.WorkloadSpec(Optional.empty(), Optional.ofNullable(trace), guests, hostWrites);
        }
        Distribution arrivals = dist("workload.arrivals", w.arrivals, SECOND, false);
        Distribution lifetime = dist("workload.lifetime", w.lifetime, SECOND, false);
        Distribution size = dist("workload.vmSize", w.vmSize, 1, true);
        boolean shareOk = share("workload.snpShare", w.snpShare);
        if (size != null && host != null && churns) {
            long largest = size.max();
            long ramGib = host.ramBytes() / Geometry.GIB;
            if (largest > ramGib) {
                problem("workload.vmSize", "VMs up to " + largest + " GiB cannot fit the host's " + ramGib
                        + " GiB of RAM (every such launch would be refused)");
            }
        }
        if (arrivals == null || lifetime == null || size == null || !shareOk || guests == null) {
            return null;
        }
        return new Scenario.WorkloadSpec(Optional.of(new Arrivals.Generated(arrivals, lifetime, size, w.snpShare)), Optional.empty(),
                guests, hostWrites);
    }

    private GuestBehaviour guests(ScenarioFile.Workload w) {
        int before = problems.size();
        double acceptShare = 0;
        long ramp = SECOND;
        if (present("workload.accept", w.accept)) {
            if (share("workload.accept.share", w.accept.share)) {
                acceptShare = w.accept.share;
            }
            ramp = seconds("workload.accept.rampSeconds", w.accept.rampSeconds, false);
        }
        long bounce = mib("workload.bounceBufferMib", w.bounceBufferMib, 4, true);
        double conversions = 0;
        long block = CHUNK;
        if (present("workload.conversions", w.conversions)) {
            ScenarioFile.Conversions c = w.conversions;
            if (present("workload.conversions.perVmPerHour", c.perVmPerHour) && finite("workload.conversions.perVmPerHour", c.perVmPerHour)) {
                conversions = c.perVmPerHour;
                if (conversions < 0 || conversions > 3600) {
                    problem("workload.conversions.perVmPerHour", "must be between 0 and 3600, was " + fmt(conversions));
                }
            }
            block = mib("workload.conversions.blockMib", c.blockMib, 2, false);
        }
        MappingSize snp = MappingSize.SIZE_2M;
        MappingSize legacy = MappingSize.SIZE_2M;
        if (present("workload.pages", w.pages)) {
            snp = page("workload.pages.snp", w.pages.snp, false);
            legacy = page("workload.pages.legacy", w.pages.legacy, true);
        }
        int device = 0;
        int snpGuest = 0;
        int legacyGuest = 0;
        if (present("workload.writes", w.writes)) {
            device = rate("workload.writes.devicePerVmPerSecond", w.writes.devicePerVmPerSecond);
            snpGuest = rate("workload.writes.snpGuestPerVmPerSecond", w.writes.snpGuestPerVmPerSecond);
            legacyGuest = rate("workload.writes.legacyGuestPerVmPerSecond", w.writes.legacyGuestPerVmPerSecond);
        }
        if (problems.size() > before || snp == null || legacy == null) {
            return null;
        }
        return new GuestBehaviour(acceptShare, ramp, bounce, conversions, block, snp, legacy, device, snpGuest, legacyGuest);
    }

    private int rate(String path, Integer value) {
        if (!present(path, value)) {
            return 0;
        }
        range(path, value, 0, 100_000);
        return value;
    }

    private long mib(String path, Double value, long multiple, boolean zeroAllowed) {
        if (!present(path, value) || !finite(path, value)) {
            return multiple << 20;
        }
        if (value != Math.rint(value) || (long) (double) value % multiple != 0 || (zeroAllowed ? value < 0 : value <= 0)) {
            problem(path, "must be " + (zeroAllowed ? "0 or " : "") + "a positive multiple of " + multiple + " MiB, was " + fmt(value));
            return multiple << 20;
        }
        if (value > 1024 * 1024) {
            problem(path, "at most 1048576 MiB, was " + fmt(value));
            return multiple << 20;
        }
        return ((long) (double) value) << 20;
    }

    private MappingSize page(String path, String value, boolean gigabyte) {
        if (!present(path, value)) {
            return null;
        }
        switch (value) {
            case "4K":
                return MappingSize.SIZE_4K;
            case "2M":
                return MappingSize.SIZE_2M;
            case "1G":
                if (gigabyte) {
                    return MappingSize.SIZE_1G;
                }
                break;
            default:
                break;
        }
        problem(path, (gigabyte ? "4K, 2M or 1G" : "4K or 2M (SNP guest memory is not backed by 1 GiB pages)") + ", was '" + value + "'");
        return null;
    }

    /** A distribution in {@code unit}s of the file's numbers (seconds to nanoseconds, or GiB). */
    private Distribution dist(String path, ScenarioFile.Dist d, long unit, boolean sizes) {
        if (!present(path, d) || !present(path + ".distribution", d.distribution)) {
            return null;
        }
        List<String> kinds = sizes ? List.of("fixed", "uniform", "empirical") : List.of("fixed", "exponential", "log-normal", "uniform", "empirical");
        if (!kinds.contains(d.distribution)) {
            problem(path + ".distribution", "one of " + String.join(", ", kinds) + ", was '" + d.distribution + "'");
            return null;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("value", d.value);
        fields.put("mean", d.mean);
        fields.put("median", d.median);
        fields.put("sigma", d.sigma);
        fields.put("min", d.min);
        fields.put("max", d.max);
        fields.put("values", d.values);
        fields.put("weights", d.weights);
        List<String> wanted = switch (d.distribution) {
            case "fixed" -> List.of("value");
            case "exponential" -> List.of("mean");
            case "log-normal" -> List.of("median", "sigma");
            case "uniform" -> List.of("min", "max");
            default -> List.of("values", "weights");
        };
        int before = problems.size();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (e.getValue() != null && !wanted.contains(e.getKey())) {
                problem(path + "." + e.getKey(), "not a field of a " + d.distribution + " distribution (it takes "
                        + String.join(" and ", wanted) + ")");
            }
        }
        for (String w : wanted) {
            present(path + "." + w, fields.get(w));
        }
        if (problems.size() > before) {
            return null;
        }
        String unitName = sizes ? "GiB" : "s";
        switch (d.distribution) {
            case "fixed":
                return positive(path + ".value", d.value, unit, sizes) ? new Distribution.Fixed(scale(d.value, unit)) : null;
            case "exponential":
                return positive(path + ".mean", d.mean, unit, sizes) ? new Distribution.Exponential(scale(d.mean, unit)) : null;
            case "log-normal": {
                boolean ok = positive(path + ".median", d.median, unit, sizes);
                if (finite(path + ".sigma", d.sigma) && (d.sigma < 0 || d.sigma > 10)) {
                    problem(path + ".sigma", "must be between 0 and 10, was " + fmt(d.sigma));
                    ok = false;
                }
                return ok && problems.size() == before ? new Distribution.LogNormal(d.median * unit, d.sigma) : null;
            }
            case "uniform": {
                boolean ok = positive(path + ".min", d.min, unit, sizes) & positive(path + ".max", d.max, unit, sizes);
                if (ok && d.max < d.min) {
                    problem(path + ".max", "must be >= min (" + fmt(d.min) + " " + unitName + "), was " + fmt(d.max));
                    ok = false;
                }
                return ok ? new Distribution.Uniform(scale(d.min, unit), scale(d.max, unit)) : null;
            }
            default: {
                if (d.values.isEmpty()) {
                    problem(path + ".values", "give at least one value");
                    return null;
                }
                if (d.values.size() != d.weights.size()) {
                    problem(path + ".weights", "needs one weight per value: " + d.values.size() + " values, " + d.weights.size() + " weights");
                    return null;
                }
                boolean ok = true;
                for (int i = 0; i < d.values.size(); i++) {
                    ok &= positive(path + ".values[" + i + "]", d.values.get(i), unit, sizes);
                    Double wt = d.weights.get(i);
                    if (wt == null || !(wt > 0) || Double.isInfinite(wt)) {
                        problem(path + ".weights[" + i + "]", "must be > 0 and finite, was " + wt);
                        ok = false;
                    }
                }
                return ok ? new Distribution.Weighted(d.values.stream().map(v -> scale(v, unit)).toList(), d.weights) : null;
            }
        }
    }

    private static long scale(double value, long unit) {
        return Math.round(value * unit);
    }

    private boolean positive(String path, Double value, long unit, boolean wholeGib) {
        if (value == null || !finite(path, value)) {
            if (value == null) {
                problem(path, "missing");
            }
            return false;
        }
        if (!(value > 0)) {
            problem(path, "must be > 0, was " + fmt(value));
            return false;
        }
        if (wholeGib && value != Math.rint(value)) {
            problem(path, "VM sizes are whole GiB, was " + fmt(value));
            return false;
        }
        if (value * unit >= Long.MAX_VALUE / 2.0 || (wholeGib && value > 64L * 1024)) {
            problem(path, "too large: " + fmt(value));
            return false;
        }
        if (!wholeGib && value * unit < 1) {
            problem(path, "must be at least a nanosecond, was " + value);
            return false;
        }
        return true;
    }

    private Scenario.TraceSpec trace(ScenarioFile.Trace t, HostDescription host, GuestBehaviour guests) {
        String at = "workload.trace";
        int before = problems.size();
        present(at + ".file", t.file);
        TraceFormat format = null;
        if (present(at + ".format", t.format)) {
            format = TraceFormat.byFileName(t.format).orElse(null);
            if (format == null) {
                problem(at + ".format", "one of azure-v1, azure-v2, huawei, rmpopt-events, was '" + t.format + "'");
            }
        }
        double share = 0;
        if (t.snpShare != null && share(at + ".snpShare", t.snpShare)) {
            share = t.snpShare;
        }
        long start = 0;
        if (t.startSeconds != null) {
            start = wholeSeconds(at + ".startSeconds", t.startSeconds);
        }
        OptionalLong end = OptionalLong.empty();
        if (t.endSeconds != null) {
            long e = wholeSeconds(at + ".endSeconds", t.endSeconds);
            if (e <= start) {
                problem(at + ".endSeconds", "must be after startSeconds (" + start + "), was " + fmt(t.endSeconds));
            }
            end = OptionalLong.of(e);
        }
        double scale = 1;
        if (t.timeScale != null) {
            if (finite(at + ".timeScale", t.timeScale) && !(t.timeScale > 0)) {
                problem(at + ".timeScale", "must be > 0, was " + fmt(t.timeScale));
            }
            scale = t.timeScale;
        }
        int hostIndex = 0;
        if (t.host != null) {
            range(at + ".host", t.host, 0, 1_000_000);
            hostIndex = t.host;
        }
        double fill = 0.9;
        if (t.fill != null) {
            if (finite(at + ".fill", t.fill) && !(t.fill > 0 && t.fill <= 1)) {
                problem(at + ".fill", "must be in (0, 1], was " + fmt(t.fill));
            }
            fill = t.fill;
        }
        List<String> categories = strings(at + ".snpCategories", t.snpCategories);
        List<String> subscriptions = strings(at + ".snpSubscriptions", t.snpSubscriptions);
        if (problems.size() > before || format == null || host == null || guests == null) {
            return null;
        }
        Path file = baseDir.resolve(t.file);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            problem(at + ".file", "cannot read " + file + (Files.exists(file) ? " (not a readable file)" : " (no such file)"));
            return null;
        }
        List<TraceVm> vms;
        try {
            vms = TraceReader.read(file, format);
        } catch (TraceException e) {
            problem(at + ".file", e.getMessage());
            return null;
        } catch (IOException e) {
            problem(at + ".file", "cannot read " + file + ": " + e);
            return null;
        }
        if (vms.isEmpty()) {
            problem(at + ".file", file + " holds no VM");
            return null;
        }
        TraceRules rules = new TraceRules(share, Set.copyOf(categories), Set.copyOf(subscriptions), 0, start, end, scale, hostIndex, fill);
        Scenario.TraceSpec spec = new Scenario.TraceSpec(file, format, vms, rules);
        var seen = spec.forSeed(0, host, guests.legacyBacking().bytes());
        if (seen.fleetHosts() <= hostIndex) {
            problem(at + ".host", "first-fit fills " + seen.fleetHosts() + " host(s) of this size, so there is no host " + hostIndex);
        }
        return spec;
    }

    private long wholeSeconds(String path, Double value) {
        if (!finite(path, value)) {
            return 0;
        }
        if (value < 0 || value != Math.rint(value)) {
            problem(path, "whole trace seconds >= 0, was " + fmt(value));
            return 0;
        }
        return (long) (double) value;
    }

    private List<String> strings(String path, List<String> list) {
        if (list == null) {
            return List.of();
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null || list.get(i).isEmpty()) {
                problem(path + "[" + i + "]", "empty");
            }
        }
        return list.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }

    private Scenario.OutputSpec outputs(ScenarioFile.Outputs o) {
        if (!present("outputs", o)) {
            return null;
        }
        String format = o.format == null ? "text" : o.format.toLowerCase(Locale.ROOT);
        if (!List.of("text", "json", "csv").contains(format)) {
            problem("outputs.format", "text, json or csv, was '" + o.format + "'");
        }
        if (!present("outputs.dir", o.dir)) {
            return null;
        }
        return new Scenario.OutputSpec(Path.of(o.dir), format, o.table != null && o.table);
    }
}
