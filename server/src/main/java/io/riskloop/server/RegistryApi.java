package io.riskloop.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riskloop.registry.FieldError;
import io.riskloop.registry.Names;
import io.riskloop.registry.Page;
import io.riskloop.registry.Registry;
import io.riskloop.registry.RegistryException;
import io.riskloop.registry.models.AliasMove;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.models.RegisteredModel;
import io.riskloop.registry.tracking.Experiment;
import io.riskloop.registry.tracking.Run;
import io.riskloop.registry.tracking.RunArtifact;
import io.riskloop.registry.tracking.Tracking;
import io.riskloop.server.api.AliasChanges;
import io.riskloop.server.auth.Access;
import io.riskloop.server.auth.Role;
import io.riskloop.store.audit.AuditLog;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * riskloop's own registry API under /api/v1 (and /api, where it was first served): runs with their data and files,
 * dataset snapshots, models, versions, aliases with their history, lineage and diffs. Every role may read; changes
 * are for admins, are made in the name of the caller's key, and are written to the audit log; alias moves say why
 * ({@code reason}).
 */
final class RegistryApi {

    /** A run with its files and the runs that are part of it. */
    record RunView(Run run, String artifactUri, List<RunArtifact> artifacts, List<String> childRunIds) {
    }

    /** A model with its versions, newest first. */
    record ModelView(RegisteredModel model, List<ModelVersion> versions) {
    }

    /** The answer to an alias change: the move recorded, or none when the alias already pointed there. */
    record AliasChange(boolean changed, AliasMove move, ModelVersion version) {
    }

    private static final Role[] READ = {Role.ANALYST, Role.SERVICE, Role.ADMIN};
    private static final Role[] WRITE = {Role.ADMIN};

    private final Registry registry;
    private final AuditLog audit;

    RegistryApi(Registry registry, AuditLog audit) {
        this.registry = registry;
        this.audit = audit;
    }

    /** The routes under {@code prefix}: "/api/v1", and "/api" where they were first served. */
    void routes(Javalin app, String prefix) {
        Routes r = new Routes(app, prefix);
        r.get("/experiments", ctx -> ctx.json(registry.tracking()
                .searchExperiments(ctx.queryParam("filter"), null, intQuery(ctx, "max_results"),
                        ctx.queryParam("page_token"), Tracking.View.ACTIVE_ONLY)));
        r.get("/experiments/{id}", ctx -> ctx.json(registry.tracking().experiment(longPath(ctx, "id"))));
        r.get("/runs", this::runs);
        r.get("/runs/{id}", ctx -> ctx.json(runView(ctx.pathParam("id"))));
        r.get("/runs/{id}/artifacts", ctx -> ctx.json(registry.tracking().artifacts(ctx.pathParam("id"))));
        r.get("/runs/{id}/artifacts/<path>", this::artifact);
        r.get("/snapshots/{id}", ctx -> ctx.json(registry.snapshots().get(longPath(ctx, "id"))));
        r.get("/models", ctx -> ctx.json(registry.models().searchModels(ctx.queryParam("filter"), null,
                intQuery(ctx, "max_results"), ctx.queryParam("page_token"))));
        app.post(prefix + "/models", this::createModel, WRITE);
        r.get("/models/{name}", ctx -> ctx.json(new ModelView(registry.models().model(ctx.pathParam("name")),
                registry.models().versions(ctx.pathParam("name")))));
        r.get("/models/{name}/versions/{version}", ctx -> ctx.json(registry.models()
                .version(ctx.pathParam("name"), intPath(ctx, "version"))));
        r.get("/models/{name}/versions/{version}/lineage", ctx -> ctx.json(registry.models()
                .lineage(ctx.pathParam("name"), intPath(ctx, "version"))));
        r.get("/model-versions/{id}/lineage", ctx -> ctx.json(registry.models().lineage(longPath(ctx, "id"))));
        r.get("/models/{name}/aliases/{alias}", ctx -> ctx.json(registry.models()
                .versionByAlias(ctx.pathParam("name"), ctx.pathParam("alias"))));
        app.put(prefix + "/models/{name}/aliases/{alias}", this::setAlias, WRITE);
        app.delete(prefix + "/models/{name}/aliases/{alias}", this::deleteAlias, WRITE);
        app.post(prefix + "/models/{name}/aliases/{alias}/rollback", this::rollback, WRITE);
        r.get("/models/{name}/history", ctx -> ctx.json(registry.models()
                .history(ctx.pathParam("name"), ctx.queryParam("alias"))));
        r.get("/models/{name}/diff", ctx -> ctx.json(registry.models().diff(ctx.pathParam("name"),
                requiredIntQuery(ctx, "a"), requiredIntQuery(ctx, "b"))));
    }

    /** Read routes open to every role. */
    private record Routes(Javalin app, String prefix) {
        void get(String path, io.javalin.http.Handler h) {
            app.get(prefix + path, h, READ);
        }
    }

    private void runs(Context ctx) {
        String exp = ctx.queryParam("experiment_id");
        List<Long> ids = new ArrayList<>();
        if (exp != null) {
            ids.add(parseLong(exp, "experiment_id"));
        }
        String name = ctx.queryParam("experiment");
        if (name != null) {
            ids.add(registry.tracking().experimentByName(name).orElseThrow(() -> RegistryException.notFound("experiment",
                    "no experiment named '" + name + "'")).id());
        }
        Page<Run> page = registry.tracking().searchRuns(ids, ctx.queryParam("filter"), ctx.queryParams("order_by"),
                intQuery(ctx, "max_results"), ctx.queryParam("page_token"), Tracking.View.ACTIVE_ONLY);
        ctx.json(page);
    }

    private RunView runView(String id) {
        Run run = registry.tracking().run(id);
        return new RunView(run, run.info().artifactUri(), registry.tracking().artifacts(id),
                registry.tracking().children(id).stream().map(r -> r.info().id()).toList());
    }

    private void artifact(Context ctx) throws Exception {
        RunArtifact a = registry.tracking().artifact(ctx.pathParam("id"), ctx.pathParam("path"));
        InputStream in = registry.artifacts().open(a.sha256());
        String name = a.path().substring(a.path().lastIndexOf('/') + 1);
        ctx.header("Content-Disposition", "attachment; filename=\"" + name.replace("\"", "") + "\"");
        ctx.header("ETag", "\"" + a.sha256() + "\"");
        ctx.contentType(name.endsWith(".json") ? "application/json" : name.endsWith(".html") ? "text/html"
                : name.endsWith(".md") ? "text/markdown" : "application/octet-stream");
        ctx.result(in);
    }

    private void createModel(Context ctx) {
        JsonNode b = Requests.object(ctx);
        Map<String, String> tags = new java.util.TreeMap<>();
        b.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        String actor = Access.principal(ctx).name();
        RegisteredModel m = registry.models().createModel(text(b, "name"), text(b, "description"), tags, actor);
        audit.append(actor, "model.create", "model:" + m.name(), null, json(m), null);
        ctx.status(201).json(m);
    }

    private void setAlias(Context ctx) {
        JsonNode b = Requests.object(ctx);
        Names.Check check = Names.check().present(text(b, "reason"), "reason")
                .require(b.path("version").canConvertToInt(), "version", "version is required, a version number");
        check.orThrow();
        String name = ctx.pathParam("name");
        String actor = Access.principal(ctx).name();
        var move = registry.models().setAlias(name, ctx.pathParam("alias"), b.get("version").asInt(), actor,
                text(b, "reason"), AliasChanges.audited(audit));
        ctx.json(new AliasChange(move.isPresent(), move.orElse(null),
                registry.models().versionByAlias(name, ctx.pathParam("alias"))));
    }

    private void deleteAlias(Context ctx) {
        JsonNode b = Requests.object(ctx);
        Names.check().present(text(b, "reason"), "reason").orThrow();
        String actor = Access.principal(ctx).name();
        AliasMove move = registry.models().deleteAlias(ctx.pathParam("name"), ctx.pathParam("alias"), actor,
                text(b, "reason"), AliasChanges.audited(audit));
        ctx.json(move);
    }

    private void rollback(Context ctx) {
        JsonNode b = Requests.object(ctx);
        Names.check().present(text(b, "reason"), "reason").orThrow();
        String name = ctx.pathParam("name");
        String actor = Access.principal(ctx).name();
        AliasMove move = registry.models().rollback(name, ctx.pathParam("alias"), actor, text(b, "reason"),
                AliasChanges.audited(audit));
        ctx.json(new AliasChange(true, move, registry.models().versionByAlias(name, ctx.pathParam("alias"))));
    }

    private static String json(Object o) {
        try {
            return io.riskloop.model.Json.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode b, String field) {
        JsonNode n = b.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    static int intPath(Context ctx, String name) {
        String v = ctx.pathParam(name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw RegistryException.invalid(name, name + " must be a whole number, was '" + v + "'");
        }
    }

    static long longPath(Context ctx, String name) {
        return parseLong(ctx.pathParam(name), name);
    }

    private static long parseLong(String v, String name) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw RegistryException.invalid(name, name + " must be a whole number, was '" + v + "'");
        }
    }

    private static Integer intQuery(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw RegistryException.invalid(name, name + " must be a whole number, was '" + v + "'");
        }
    }

    private static int requiredIntQuery(Context ctx, String name) {
        Integer v = intQuery(ctx, name);
        if (v == null) {
            throw new RegistryException(RegistryException.Kind.INVALID, "query parameter " + name + " is required",
                    List.of(new FieldError(name, name + " is required")));
        }
        return v;
    }
}
