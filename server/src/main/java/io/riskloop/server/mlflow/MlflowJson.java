package io.riskloop.server.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.models.RegisteredModel;
import io.riskloop.registry.tracking.Experiment;
import io.riskloop.registry.tracking.Metric;
import io.riskloop.registry.tracking.Run;
import io.riskloop.registry.tracking.RunInfo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** riskloop's records in MLflow's JSON shapes (the REST API's protobuf messages, with their field names). */
final class MlflowJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MlflowJson() {
    }

    static ObjectNode experiment(Experiment e) {
        ObjectNode n = F.objectNode();
        n.put("experiment_id", Long.toString(e.id()));
        n.put("name", e.name());
        n.put("artifact_location", e.artifactLocation() != null ? e.artifactLocation()
                : "riskloop-artifacts:/experiments/" + e.id());
        n.put("lifecycle_stage", e.lifecycleStage());
        n.put("creation_time", e.createdAt().toEpochMilli());
        n.put("last_update_time", e.updatedAt().toEpochMilli());
        n.set("tags", keyValues(e.tags()));
        return n;
    }

    static ObjectNode runInfo(RunInfo i) {
        ObjectNode n = F.objectNode();
        n.put("run_id", i.id());
        n.put("run_uuid", i.id());
        n.put("run_name", i.name());
        n.put("experiment_id", Long.toString(i.experimentId()));
        n.put("user_id", i.userId());
        n.put("status", i.status().name());
        n.put("start_time", i.startTime().toEpochMilli());
        if (i.endTime() != null) {
            n.put("end_time", i.endTime().toEpochMilli());
        }
        n.put("artifact_uri", i.artifactUri());
        n.put("lifecycle_stage", i.lifecycleStage());
        return n;
    }

    static ObjectNode run(Run r) {
        ObjectNode n = F.objectNode();
        n.set("info", runInfo(r.info()));
        ObjectNode data = n.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        for (Metric m : r.metrics()) {
            metrics.add(metric(m));
        }
        data.set("params", keyValues(r.params()));
        Map<String, String> tags = new java.util.TreeMap<>(r.tags());
        tags.putIfAbsent("mlflow.runName", r.info().name()); // what MLflow's UI shows as the run's name
        data.set("tags", keyValues(tags));
        n.putObject("inputs");
        return n;
    }

    static ObjectNode metric(Metric m) {
        ObjectNode n = F.objectNode();
        n.put("key", m.key());
        n.put("value", m.value());
        n.put("timestamp", m.timestamp());
        n.put("step", m.step());
        return n;
    }

    static ObjectNode registeredModel(RegisteredModel m, List<ModelVersion> latest) {
        ObjectNode n = F.objectNode();
        n.put("name", m.name());
        n.put("creation_timestamp", millis(m.createdAt()));
        n.put("last_updated_timestamp", millis(m.updatedAt()));
        n.put("description", m.description());
        n.put("user_id", m.createdBy());
        ArrayNode versions = n.putArray("latest_versions");
        latest.forEach(v -> versions.add(modelVersion(v)));
        n.set("tags", keyValues(m.tags()));
        ArrayNode aliases = n.putArray("aliases");
        m.aliases().forEach((alias, version) -> aliases.addObject().put("alias", alias).put("version", version.toString()));
        return n;
    }

    static ObjectNode modelVersion(ModelVersion v) {
        ObjectNode n = F.objectNode();
        n.put("name", v.modelName());
        n.put("version", Integer.toString(v.version()));
        n.put("creation_timestamp", millis(v.createdAt()));
        n.put("last_updated_timestamp", millis(v.updatedAt()));
        n.put("user_id", v.createdBy());
        n.put("current_stage", "None"); // riskloop uses aliases, not MLflow's deprecated stages
        n.put("description", v.description());
        n.put("source", v.source());
        n.put("run_id", v.runId() == null ? "" : v.runId());
        n.put("status", v.status());
        n.set("tags", keyValues(v.tags()));
        ArrayNode aliases = n.putArray("aliases");
        v.aliases().forEach(aliases::add);
        return n;
    }

    static ArrayNode keyValues(Map<String, String> m) {
        ArrayNode a = F.arrayNode();
        m.forEach((k, v) -> a.addObject().put("key", k).put("value", v));
        return a;
    }

    private static long millis(Instant t) {
        return t.toEpochMilli();
    }
}
