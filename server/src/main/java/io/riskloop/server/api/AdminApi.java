package io.riskloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riskloop.registry.FieldError;
import io.riskloop.server.ApiProblem;
import io.riskloop.server.Requests;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.Access;
import io.riskloop.server.auth.ApiKeys;
import io.riskloop.server.auth.Role;
import io.riskloop.store.access.ApiKey;
import io.riskloop.store.audit.AuditEntry;
import io.riskloop.store.decisions.DecisionQueries;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** API keys (admins), the audit log, and the dashboard's figures. */
public final class AdminApi {

    /** A key just made, with its secret: shown this once. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    public record AuditPage(List<AuditEntry> entries, Long nextBeforeId) {
    }

    private final ServerParts parts;

    public AdminApi(ServerParts parts) {
        this.parts = parts;
    }

    public void routes(Javalin app) {
        app.get("/api/v1/keys", ctx -> ctx.json(parts.keys().list("true".equals(ctx.queryParam("revoked")))),
                Role.ADMIN);
        app.post("/api/v1/keys", this::createKey, Role.ADMIN);
        app.delete("/api/v1/keys/{name}", this::revokeKey, Role.ADMIN);
        app.get("/api/v1/audit", this::audit, Role.ANALYST, Role.ADMIN);
        app.get("/api/v1/dashboard", this::dashboard, Role.ANALYST, Role.SERVICE, Role.ADMIN);
    }

    private void createKey(Context ctx) {
        JsonNode b = Requests.object(ctx);
        List<FieldError> errors = new ArrayList<>();
        String name = b.hasNonNull("name") ? b.get("name").asText() : null;
        Role role = null;
        if (name == null) {
            errors.add(new FieldError("name", "required: who or what will hold the key"));
        }
        if (!b.hasNonNull("role")) {
            errors.add(new FieldError("role", "required: analyst, service or admin"));
        } else {
            try {
                role = Role.parse(b.get("role").asText());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("role", e.getMessage()));
            }
        }
        Validation.orThrow(errors);
        try {
            ApiKeys.Created c = parts.keys().create(name, role, Access.principal(ctx).name());
            ctx.status(201).json(new CreatedKey(c.key(), c.secret()));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("name", e.getMessage());
        }
    }

    private void revokeKey(Context ctx) {
        try {
            ctx.json(parts.keys().revoke(ctx.pathParam("name"), Access.principal(ctx).name()));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("name", e.getMessage());
        }
    }

    private void audit(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        Integer limit = Validation.integer(ctx.queryParam("limit"), "limit", 1, 500, errors);
        Integer before = Validation.integer(ctx.queryParam("before_id"), "before_id", 1, Integer.MAX_VALUE, errors);
        Validation.orThrow(errors);
        int n = limit == null ? 50 : limit;
        List<AuditEntry> entries = parts.audit().recent(ctx.queryParam("subject"), ctx.queryParam("actor"),
                before == null ? null : before.longValue(), n);
        ctx.json(new AuditPage(entries, entries.size() == n ? entries.get(n - 1).id() : null));
    }

    private void dashboard(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        Integer minutes = Validation.integer(ctx.queryParam("minutes"), "minutes", 1, 7 * 24 * 60, errors);
        Validation.orThrow(errors);
        Instant now = parts.clock().instant();
        DecisionQueries.Dashboard d = parts.queries().dashboard(now.minus(Duration.ofMinutes(minutes == null ? 60
                : minutes)), now.plusSeconds(1), 30);
        ctx.json(d);
    }
}
