package io.riskloop.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.riskloop.model.Json;
import io.riskloop.registry.FieldError;
import io.riskloop.registry.RegistryException;
import io.riskloop.server.mlflow.MlflowApi;
import io.riskloop.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * One place that turns exceptions into responses: problem+json on riskloop's API, MLflow's {@code error_code} and
 * {@code message} on the MLflow API. A refused request says why; a failure of riskloop itself says only that it
 * failed and under which id it was logged, never a stack trace.
 */
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final ErrorPages pages;

    ErrorResponses(ErrorPages pages) {
        this.pages = pages;
    }

    void handle(Exception e, Context ctx) {
        switch (e) {
            case RegistryException r -> refused(ctx, r);
            case ApiProblem p -> {
                LOG.info("refused {} {}: {} {}", ctx.method(), ctx.path(), p.status(), p.getMessage());
                respond(ctx, p.status(), p.status() == 404 ? "RESOURCE_DOES_NOT_EXIST" : p.status() == 503
                        ? "TEMPORARILY_UNAVAILABLE" : "INVALID_PARAMETER_VALUE", p.title(), p.getMessage(), p.errors());
            }
            case io.riskloop.store.decisions.NoSuchTransactionException n -> respond(ctx, 404,
                    "RESOURCE_DOES_NOT_EXIST", "Not found", n.getMessage(), List.of(new FieldError("id", n.getMessage())));
            case io.riskloop.server.live.Scoring.NoChampionException n -> respond(ctx, 503, "TEMPORARILY_UNAVAILABLE",
                    "Unavailable", "no model to score with: " + n.getMessage(), List.of());
            case io.riskloop.server.api.Ingest.BrokerUnavailableException b -> failure(ctx, 503,
                    "the broker did not take the record; send it again", b);
            case HttpResponseException h -> http(ctx, h);
            case StoreException s when "08001".equals(s.sqlState()) || "08006".equals(s.sqlState()) ->
                    failure(ctx, 503, "the database is not reachable", s);
            default -> failure(ctx, 500, "riskloop failed to handle this request", e);
        }
    }

    private void refused(Context ctx, RegistryException e) {
        int status = switch (e.kind()) {
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> MlflowApi.handles(ctx) ? 400 : 409; // MLflow's server answers 400 to duplicates
            case INVALID -> 400;
        };
        String code = switch (e.kind()) {
            case NOT_FOUND -> "RESOURCE_DOES_NOT_EXIST";
            case ALREADY_EXISTS -> "RESOURCE_ALREADY_EXISTS";
            case INVALID -> "INVALID_PARAMETER_VALUE";
        };
        String title = switch (e.kind()) {
            case NOT_FOUND -> "Not found";
            case ALREADY_EXISTS -> "Already exists";
            case INVALID -> "Invalid request";
        };
        LOG.info("refused {} {}: {} {}", ctx.method(), ctx.path(), status, e.getMessage());
        respond(ctx, status, code, title, e.getMessage(), e.errors());
    }

    private void http(Context ctx, HttpResponseException e) {
        int status = e.getStatus();
        String code = switch (status) {
            case 404 -> "ENDPOINT_NOT_FOUND";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            default -> "BAD_REQUEST";
        };
        String title = switch (status) {
            case 404 -> "No such endpoint";
            case 413 -> "Request too large";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 405 -> "Method not allowed";
            default -> "Bad request";
        };
        String detail = status == 404 ? "no endpoint " + ctx.method() + " " + ctx.path() + ": see /openapi.json"
                : status == 413 ? "the request body is larger than the limit of " + RiskloopServer.MAX_REQUEST_BYTES
                + " bytes" : e.getMessage();
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"riskloop\"");
        }
        LOG.info("refused {} {}: {} {}", ctx.method(), ctx.path(), status, detail);
        respond(ctx, status, code, title, detail, List.of());
    }

    private void failure(Context ctx, int status, String what, Exception e) {
        String id = UUID.randomUUID().toString();
        LOG.error("{} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
        respond(ctx, status, status == 503 ? "TEMPORARILY_UNAVAILABLE" : "INTERNAL_ERROR",
                status == 503 ? "Unavailable" : "Internal error", what + "; the server log has the details under error id "
                        + id, List.of());
    }

    private void respond(Context ctx, int status, String mlflowCode, String title, String detail,
                         List<FieldError> errors) {
        ctx.status(status);
        if (pages != null && pages.handles(ctx)) {
            pages.show(ctx, new Problem("/problems/" + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'),
                    title, status, detail, errors));
        } else if (MlflowApi.handles(ctx)) {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("error_code", mlflowCode);
            body.put("message", detail);
            ctx.contentType("application/json").result(body.toString());
        } else {
            Problem p = new Problem("/problems/" + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), title,
                    status, detail, errors);
            try {
                ctx.contentType(Problem.CONTENT_TYPE).result(Json.mapper().writeValueAsString(p));
            } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                ctx.contentType("text/plain").result(detail);
            }
        }
    }
}
