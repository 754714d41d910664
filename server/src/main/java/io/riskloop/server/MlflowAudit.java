package io.riskloop.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.riskloop.server.auth.Access;
import io.riskloop.server.auth.Principal;
import io.riskloop.server.mlflow.MlflowApi;
import io.riskloop.store.audit.AuditLog;

/**
 * Writes the MLflow API's changes to the audit log: the caller, the call ({@code mlflow.runs/log-metric}) and its
 * request body as the state after. The MLflow handlers do not know riskloop's audit log, and MLflow's calls are
 * small documents that say exactly what changed, so one after-handler covers them all. Searches (POST, but
 * reads) are not changes and are left out.
 */
final class MlflowAudit {

    private static final int MAX_BODY = 16 * 1024;

    private MlflowAudit() {
    }

    static void routes(Javalin app, AuditLog audit) {
        app.after(MlflowApi.PREFIX + "*", ctx -> record(ctx, audit));
    }

    private static void record(Context ctx, AuditLog audit) {
        if (ctx.method() == HandlerType.GET || ctx.statusCode() >= 300 || ctx.path().endsWith("/search")
                || ctx.path().equals(MlflowApi.PREFIX + "registered-models/alias")) {
            return; // alias moves are audited as such (alias.set, alias.delete), in the move's transaction
        }
        Principal p = ctx.attribute(Access.PRINCIPAL);
        if (p == null) {
            return;
        }
        String call = ctx.path().substring(MlflowApi.PREFIX.length());
        String body = ctx.body();
        boolean json = body.length() <= MAX_BODY && isJsonObject(body);
        audit.append(p.name(), "mlflow." + call, "mlflow:" + call, null, json ? body : null,
                json ? null : "request body of " + body.length() + " characters not kept");
    }

    private static boolean isJsonObject(String s) {
        try {
            return Requests.JSON.readTree(s).isObject();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }
}
