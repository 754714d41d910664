package io.riskloop.server.auth;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.RouteRole;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call what. Every path under {@code /api/} needs an API key; a route declared with roles needs one of
 * them. A key is sent as {@code Authorization: Bearer <key>} (what MLflow clients send from
 * {@code MLFLOW_TRACKING_TOKEN}), as {@code X-API-Key: <key>}, or as the password of HTTP basic authentication
 * (what MLflow clients send from {@code MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD}). The
 * MLflow API, which declares no roles, is open to every role for reading (GET) and to services and admins for
 * everything else.
 */
public final class Access {

    /** The request attribute holding the {@link Principal}. */
    public static final String PRINCIPAL = "riskloop.principal";

    private final ApiKeys keys;

    public Access(ApiKeys keys) {
        this.keys = keys;
    }

    /** Javalin's before-matched handler. */
    public void check(Context ctx) {
        if (!ctx.path().startsWith("/api/") || ctx.method() == HandlerType.OPTIONS) {
            return; // health, metrics, documents and the web app (which has sessions of its own)
        }
        String presented = presentedKey(ctx);
        if (presented == null) {
            throw new UnauthorizedResponse("this endpoint needs an API key: send it as 'Authorization: Bearer <key>'"
                    + " (riskloop keys create makes one)");
        }
        Principal p = keys.authenticate(presented).orElseThrow(() -> new UnauthorizedResponse(
                "the API key is not valid (unknown or revoked); riskloop keys list shows the live keys"));
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty() && io.riskloop.server.mlflow.MlflowApi.handles(ctx) && ctx.method() != HandlerType.GET) {
            roles = Set.of(Role.SERVICE, Role.ADMIN);
        }
        if (!roles.isEmpty() && !roles.contains(p.role())) {
            throw new ForbiddenResponse("this needs the role " + roles.stream().map(r -> ((Role) r).id()).sorted()
                    .collect(Collectors.joining(" or ")) + "; key '" + p.name() + "' has the role " + p.role().id());
        }
        ctx.attribute(PRINCIPAL, p);
    }

    /** The caller; only on routes {@link #check} let through with a key. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new UnauthorizedResponse("this needs an API key");
        }
        return p;
    }

    static String presentedKey(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null) {
            String a = auth.strip();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return a.substring(7).strip();
            }
            if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(a.substring(6).strip()),
                            StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    return colon < 0 ? decoded : decoded.substring(colon + 1);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        String header = ctx.header("X-API-Key");
        return header == null ? null : header.strip();
    }
}
