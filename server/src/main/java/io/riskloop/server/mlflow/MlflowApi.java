package io.riskloop.server.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.riskloop.registry.Page;
import io.riskloop.registry.Registry;
import io.riskloop.registry.RegistryException;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.models.NewVersion;
import io.riskloop.registry.models.RegisteredModel;
import io.riskloop.registry.tracking.Experiment;
import io.riskloop.registry.tracking.Metric;
import io.riskloop.registry.tracking.NewRun;
import io.riskloop.registry.tracking.Run;
import io.riskloop.registry.tracking.RunStatus;
import io.riskloop.registry.tracking.Tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MLflow's REST API for tracking and the model registry, as MLflow's own server offers it under
 * {@value #PREFIX}, on riskloop's tables: what an MLflow client logs is an ordinary riskloop run or model, and
 * riskloop's runs and models are visible to MLflow clients. Artifacts are not served this way (see
 * docs/registry.md); stages are not kept (riskloop uses aliases).
 */
public final class MlflowApi {

    public static final String PREFIX = "/api/2.0/mlflow/";

    /** Who an alias move through this API is recorded as done by, unless the caller says (header X-Riskloop-Actor). */
    static final String DEFAULT_ACTOR = "mlflow-api";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Registry registry;
    private final java.time.Clock clock;
    private final io.riskloop.registry.models.ModelRegistry.MoveRecorder aliasMoves;

    /** @param aliasMoves writes each alias move's record (the audit entry) in the move's transaction */
    public MlflowApi(Registry registry, java.time.Clock clock,
                     io.riskloop.registry.models.ModelRegistry.MoveRecorder aliasMoves) {
        this.registry = registry;
        this.clock = clock;
        this.aliasMoves = aliasMoves;
    }

    /** Whether a request is addressed to this API (its errors then take MLflow's form). */
    public static boolean handles(Context ctx) {
        return ctx.path().startsWith(PREFIX) || ctx.path().equals(PREFIX.substring(0, PREFIX.length() - 1));
    }

    public void routes(Javalin app) {
        post(app, "experiments/create", this::createExperiment);
        get(app, "experiments/get", r -> one("experiment",
                MlflowJson.experiment(registry.tracking().experiment(experimentId(r.required("experiment_id"))))));
        get(app, "experiments/get-by-name", r -> {
            String name = r.required("experiment_name");
            return one("experiment", MlflowJson.experiment(registry.tracking().experimentByName(name)
                    .orElseThrow(() -> RegistryException.notFound("experiment_name", "no experiment named '" + name + "'"))));
        });
        both(app, "experiments/search", this::searchExperiments);
        post(app, "experiments/set-experiment-tag", r -> {
            registry.tracking().setExperimentTag(experimentId(r.required("experiment_id")), r.required("key"),
                    valueOf(r.string("value")));
            return F.objectNode();
        });

        post(app, "runs/create", this::createRun);
        get(app, "runs/get", r -> one("run", MlflowJson.run(registry.tracking().run(r.required("run_id", "run_uuid")))));
        post(app, "runs/update", this::updateRun);
        both(app, "runs/search", this::searchRuns);
        post(app, "runs/log-metric", r -> {
            registry.tracking().logMetric(r.required("run_id", "run_uuid"), new Metric(r.required("key"),
                    r.doubleRequired("value"), timestamp(r.longValue("timestamp")), orZero(r.longValue("step"))));
            return F.objectNode();
        });
        post(app, "runs/log-parameter", r -> {
            registry.tracking().logParam(r.required("run_id", "run_uuid"), r.required("key"), valueOf(r.string("value")));
            return F.objectNode();
        });
        post(app, "runs/log-batch", this::logBatch);
        post(app, "runs/set-tag", r -> {
            registry.tracking().setTag(r.required("run_id", "run_uuid"), r.required("key"), valueOf(r.string("value")));
            return F.objectNode();
        });
        post(app, "runs/delete-tag", r -> {
            registry.tracking().deleteTag(r.required("run_id"), r.required("key"));
            return F.objectNode();
        });
        get(app, "metrics/get-history", r -> {
            ArrayNode metrics = F.arrayNode();
            registry.tracking().metricHistory(r.required("run_id", "run_uuid"), r.required("metric_key"))
                    .forEach(m -> metrics.add(MlflowJson.metric(m)));
            return one("metrics", metrics);
        });

        post(app, "registered-models/create", this::createRegisteredModel);
        get(app, "registered-models/get", r -> one("registered_model", registeredModel(
                registry.models().model(r.required("name")))));
        both(app, "registered-models/search", this::searchRegisteredModels);
        app.patch(PREFIX + "registered-models/update", handler(r -> one("registered_model", registeredModel(
                registry.models().updateModel(r.required("name"), r.string("description"))))));
        post(app, "registered-models/set-tag", r -> {
            registry.models().setModelTag(r.required("name"), r.required("key"), valueOf(r.string("value")));
            return F.objectNode();
        });
        both(app, "registered-models/get-latest-versions", this::latestVersions);

        post(app, "model-versions/create", this::createModelVersion);
        get(app, "model-versions/get", r -> one("model_version", MlflowJson.modelVersion(
                registry.models().version(r.required("name"), r.intRequired("version")))));
        both(app, "model-versions/search", this::searchModelVersions);
        app.patch(PREFIX + "model-versions/update", handler(r -> one("model_version", MlflowJson.modelVersion(
                registry.models().updateVersion(r.required("name"), r.intRequired("version"), r.string("description"))))));
        post(app, "model-versions/set-tag", r -> {
            registry.models().setVersionTag(r.required("name"), r.intRequired("version"), r.required("key"),
                    valueOf(r.string("value")));
            return F.objectNode();
        });
        get(app, "model-versions/get-download-uri", r -> {
            ModelVersion v = registry.models().version(r.required("name"), r.intRequired("version"));
            return F.objectNode().put("artifact_uri", v.source());
        });

        app.post(PREFIX + "registered-models/alias", handler(r -> {
            registry.models().setAlias(r.required("name"), r.required("alias"), r.intRequired("version"),
                    actor(r), "set through the MLflow API", aliasMoves);
            return F.objectNode();
        }));
        app.delete(PREFIX + "registered-models/alias", handler(r -> {
            registry.models().deleteAlias(r.required("name"), r.required("alias"), actor(r),
                    "deleted through the MLflow API", aliasMoves);
            return F.objectNode();
        }));
        get(app, "registered-models/alias", r -> one("model_version", MlflowJson.modelVersion(
                registry.models().versionByAlias(r.required("name"), r.required("alias")))));
    }

    // ---------------------------------------------------------------- tracking

    private JsonNode createExperiment(MlflowRequest r) {
        Experiment e = registry.tracking().createExperiment(r.required("name"), r.string("artifact_location"),
                r.keyValues("tags"));
        return F.objectNode().put("experiment_id", Long.toString(e.id()));
    }

    private JsonNode searchExperiments(MlflowRequest r) {
        Page<Experiment> page = registry.tracking().searchExperiments(r.string("filter"), r.list("order_by"),
                intOrNull(r.longValue("max_results"), "max_results"), r.string("page_token"), view(r.string("view_type")));
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("experiments");
        page.items().forEach(e -> list.add(MlflowJson.experiment(e)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private JsonNode createRun(MlflowRequest r) {
        String exp = r.string("experiment_id");
        Map<String, String> tags = r.keyValues("tags");
        String name = r.string("run_name");
        if ((name == null || name.isEmpty()) && tags.containsKey("mlflow.runName")) {
            name = tags.get("mlflow.runName");
        }
        String user = r.string("user_id");
        if (user == null || user.isEmpty()) {
            user = tags.getOrDefault("mlflow.user", "unknown");
        }
        Long start = r.longValue("start_time");
        Run run = registry.tracking().createRun(new NewRun(experimentId(exp == null || exp.isEmpty() ? "0" : exp), name,
                user, start == null ? null : Instant.ofEpochMilli(start), tags,
                tags.get("mlflow.source.git.commit"), null, tags.get("mlflow.parentRunId")));
        return one("run", MlflowJson.run(run));
    }

    private JsonNode updateRun(MlflowRequest r) {
        String status = r.string("status");
        Long end = r.longValue("end_time");
        Run run = registry.tracking().updateRun(r.required("run_id", "run_uuid"),
                status == null || status.isEmpty() ? null : RunStatus.parse(status, "status"),
                end == null ? null : Instant.ofEpochMilli(end), r.string("run_name"));
        return one("run_info", MlflowJson.runInfo(run.info()));
    }

    private JsonNode searchRuns(MlflowRequest r) {
        List<Long> ids = new ArrayList<>();
        for (String id : r.list("experiment_ids")) {
            ids.add(experimentId(id));
        }
        if (ids.isEmpty()) {
            throw RegistryException.invalid("experiment_ids", "experiment_ids must name at least one experiment");
        }
        Page<Run> page = registry.tracking().searchRuns(ids, r.string("filter"), r.list("order_by"),
                intOrNull(r.longValue("max_results"), "max_results"), r.string("page_token"),
                view(r.string("run_view_type")));
        ObjectNode out = F.objectNode();
        ArrayNode runs = out.putArray("runs");
        page.items().forEach(x -> runs.add(MlflowJson.run(x)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private JsonNode logBatch(MlflowRequest r) {
        List<Metric> metrics = new ArrayList<>();
        List<JsonNode> raw = r.objects("metrics");
        for (int i = 0; i < raw.size(); i++) {
            JsonNode m = raw.get(i);
            String field = "metrics[" + i + "]";
            JsonNode value = m.get("value");
            metrics.add(new Metric(m.path("key").asText(null),
                    MlflowRequest.number(value, value == null ? null : value.asText(), field + ".value"),
                    timestamp(m.hasNonNull("timestamp") ? m.get("timestamp").asLong() : null),
                    m.path("step").asLong(0)));
        }
        registry.tracking().logBatch(r.required("run_id"), metrics, r.keyValues("params"), r.keyValues("tags"));
        return F.objectNode();
    }

    // ---------------------------------------------------------------- registry

    private JsonNode createRegisteredModel(MlflowRequest r) {
        RegisteredModel m = registry.models().createModel(r.required("name"), r.string("description"),
                r.keyValues("tags"), actor(r));
        return one("registered_model", registeredModel(m));
    }

    private JsonNode searchRegisteredModels(MlflowRequest r) {
        Page<RegisteredModel> page = registry.models().searchModels(r.string("filter"), r.list("order_by"),
                intOrNull(r.longValue("max_results"), "max_results"), r.string("page_token"));
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("registered_models");
        page.items().forEach(m -> list.add(registeredModel(m)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private JsonNode latestVersions(MlflowRequest r) {
        String name = r.required("name");
        List<String> stages = r.list("stages");
        ArrayNode out = F.arrayNode();
        // every riskloop version is in MLflow's stage "None": the latest of that stage is the latest version
        if (stages.isEmpty() || stages.stream().anyMatch(s -> s.equalsIgnoreCase("none"))) {
            List<ModelVersion> all = registry.models().versions(name);
            if (!all.isEmpty()) {
                out.add(MlflowJson.modelVersion(all.getFirst()));
            }
        } else {
            registry.models().model(name);
        }
        return one("model_versions", out);
    }

    private JsonNode createModelVersion(MlflowRequest r) {
        ModelVersion v = registry.models().createVersion(new NewVersion(r.required("name"), r.required("source"),
                r.string("run_id"), null, null, null, r.string("description"), r.keyValues("tags"), actor(r)));
        return one("model_version", MlflowJson.modelVersion(v));
    }

    private JsonNode searchModelVersions(MlflowRequest r) {
        Page<ModelVersion> page = registry.models().searchVersions(r.string("filter"), r.list("order_by"),
                intOrNull(r.longValue("max_results"), "max_results"), r.string("page_token"));
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("model_versions");
        page.items().forEach(v -> list.add(MlflowJson.modelVersion(v)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private ObjectNode registeredModel(RegisteredModel m) {
        List<ModelVersion> latest = m.latestVersion() == null ? List.of()
                : List.of(registry.models().version(m.name(), m.latestVersion()));
        return MlflowJson.registeredModel(m, latest);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    interface Call {
        JsonNode handle(MlflowRequest r);
    }

    private static Handler handler(Call call) {
        return ctx -> {
            JsonNode out = call.handle(new MlflowRequest(ctx));
            ctx.contentType("application/json").result(out.toString());
        };
    }

    private static void get(Javalin app, String path, Call call) {
        app.get(PREFIX + path, handler(call));
    }

    private static void post(Javalin app, String path, Call call) {
        app.post(PREFIX + path, handler(call));
    }

    /** MLflow's clients call the search endpoints with GET or POST. */
    private static void both(Javalin app, String path, Call call) {
        get(app, path, call);
        post(app, path, call);
    }

    private static ObjectNode one(String field, JsonNode value) {
        ObjectNode n = F.objectNode();
        n.set(field, value);
        return n;
    }

    private static long experimentId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw RegistryException.notFound("experiment_id", "no experiment with id '" + s + "'");
        }
    }

    private static Tracking.View view(String s) {
        if (s == null || s.isEmpty()) {
            return Tracking.View.ACTIVE_ONLY;
        }
        try {
            return Tracking.View.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalid("view_type", "'" + s + "' is not a view type: use ACTIVE_ONLY,"
                    + " DELETED_ONLY or ALL");
        }
    }

    private static Integer intOrNull(Long v, String field) {
        if (v == null) {
            return null;
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw RegistryException.invalid(field, field + " is out of range: " + v);
        }
        return v.intValue();
    }

    private long timestamp(Long ms) {
        return ms != null ? ms : clock.millis();
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static String valueOf(String v) {
        return v == null ? "" : v;
    }

    /** Who acts: the name of the API key the client sent (its MLFLOW_TRACKING_TOKEN), never a claimed name. */
    private static String actor(MlflowRequest r) {
        io.riskloop.server.auth.Principal p = r.principal();
        return p == null ? DEFAULT_ACTOR : p.name();
    }
}
