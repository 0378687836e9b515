package dev.rmpopt.experiments.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rmpopt.experiments.ToolVersion;
import dev.rmpopt.experiments.scenario.PolicySpec;
import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.experiments.sweep.RunKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every output says of where it came from: the tool and its version, the scenario (its name,
 * where it was read from and the SHA-256 of its bytes), the schema version, the backend and the
 * host; a run's output adds its seed, policy and placement.
 */
public final class Manifest {

    private Manifest() {
    }

    /** The experiment's manifest, in a fixed order. */
    public static Map<String, Object> of(Scenario s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", "rmpopt");
        m.put("tool_version", ToolVersion.version());
        m.put("schema_version", s.schema());
        m.put("scenario", s.name());
        m.put("scenario_source", s.source());
        m.put("scenario_sha256", s.sha256());
        m.put("backend", s.backend());
        m.put("host", s.host().description().summary());
        m.put("seeds", s.seeds());
        m.put("policies", s.policies().stream().map(PolicySpec::label).toList());
        m.put("placements", s.placements());
        return m;
    }

    /** A run's manifest: the experiment's less its lists, with the run's seed, policy and placement. */
    public static Map<String, Object> of(Scenario s, RunKey key) {
        Map<String, Object> m = of(s);
        m.remove("seeds");
        m.remove("policies");
        m.remove("placements");
        m.put("seed", key.seed());
        m.put("policy", key.policy());
        m.put("placement", key.placement());
        return m;
    }

    static ObjectNode json(Map<String, Object> manifest) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        Json.MAPPER.valueToTree(manifest).fields().forEachRemaining(e -> node.set(e.getKey(), e.getValue()));
        return node;
    }
}
