package io.riskloop.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HandlerType;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.server.auth.Role;
import io.riskloop.store.testkit.TestPostgres;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route the server declares, called without a key, with a key nobody issued, with a key of each role the route
 * does not admit, and with one it admits. The routes come from the server's router ({@link ServedRoutes}, as in the
 * OpenAPI test), so a route added later is checked here without being listed: one that forgot its roles, or that is
 * served outside {@code /api/} where keys are not checked, fails this test.
 */
class RouteAccessTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static final HttpClient HTTP = HttpClient.newHttpClient(); // follows no redirects
    static final ObjectMapper JSON = new ObjectMapper();
    static final String UNKNOWN_KEY = "rlk_" + "k".repeat(43);

    /** Served to anyone: probes, metrics, the API's documents, the web app's entry points and log-in form. */
    static final Set<String> PUBLIC = Set.of("GET /health/live", "GET /health/ready", "GET /metrics",
            "GET /openapi.json", "GET /docs", "GET /", "GET /ui", "GET /ui/login", "POST /ui/login");

    static ServerParts parts;
    static RiskloopServer server;
    static List<ServedRoutes.Route> routes;
    static final Map<Role, String> KEYS = new EnumMap<>(Role.class);

    record Answer(int status, String contentType, JsonNode body, String raw, HttpResponse<String> http) {
    }

    @BeforeAll
    static void start() {
        Registry registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")),
                Clock.systemUTC());
        parts = ServerParts.of(registry, Clock.systemUTC());
        for (Role r : Role.values()) {
            KEYS.put(r, parts.keys().create("access-" + r.id(), r, "test").secret());
        }
        server = RiskloopServer.start(parts, "127.0.0.1", 0);
        routes = ServedRoutes.of(parts);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Answer call(String key, ServedRoutes.Route route) throws Exception {
        boolean body = route.method() != HandlerType.GET;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + route.example()))
                .method(route.httpMethod(), body ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody());
        if (body) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (Exception e) {
            // not JSON
        }
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), json, r.body(), r);
    }

    @Test
    void theRouterDeclaresTheRoutesThisTestGoesThrough() {
        // a sanity check of the enumeration itself: each part of the API is there, under both registry prefixes
        assertThat(routes).extracting(ServedRoutes.Route::toString).contains("POST /api/v1/score",
                "GET /api/v1/keys", "PUT /api/v1/models/{name}/aliases/{alias}", "PUT /api/models/{name}/aliases/{alias}",
                "GET /api/v1/monitoring/drift/{id}.html", "POST /api/v1/retrain",
                "POST /api/2.0/mlflow/experiments/create", "GET /ui/queue", "GET /health/ready");
        assertThat(routes.stream().filter(ServedRoutes.Route::isApi).count()).isGreaterThan(60);
    }

    @Test
    void everyApiRouteRefusesACallWithoutAValidKey() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (ServedRoutes.Route route : routes) {
            if (!route.isApi()) {
                continue;
            }
            for (String key : new String[] {null, UNKNOWN_KEY}) {
                Answer a = call(key, route);
                String as = route + " (" + route.example() + ") " + (key == null ? "without a key" : "with an unknown key")
                        + ": " + a.raw();
                soft.assertThat(a.status()).as(as).isEqualTo(401);
                if (route.isMlflow()) { // MLflow's clients expect MLflow's error shape
                    soft.assertThat(a.body()).as(as).isNotNull();
                    if (a.body() != null) {
                        soft.assertThat(a.body().path("error_code").asText()).as(as).isEqualTo("UNAUTHENTICATED");
                    }
                    continue;
                }
                assertUnauthorizedProblem(soft, a, as);
            }
        }
        soft.assertAll();
    }

    @Test
    void everyApiRouteDeclaresItsRolesAndRefusesTheOthers() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (ServedRoutes.Route route : routes) {
            if (!route.isApi()) {
                continue;
            }
            Set<Role> allowed = route.roles();
            if (route.isMlflow()) {
                // MLflow's routes declare no roles: reading is open to every key, changes to services and admins
                soft.assertThat(allowed).as("%s declares no roles of its own", route).isEmpty();
                allowed = route.method() == HandlerType.GET ? Set.of(Role.values()) : Set.of(Role.SERVICE, Role.ADMIN);
            } else {
                soft.assertThat(allowed).as("%s declares the roles that may call it", route).isNotEmpty();
            }
            for (Role role : Role.values()) {
                Answer a = call(KEYS.get(role), route);
                String as = route + " (" + route.example() + ") as " + role.id() + ": " + a.raw();
                if (allowed.contains(role)) {
                    soft.assertThat(a.status()).as(as).isNotIn(401, 403);
                } else if (route.isMlflow()) {
                    soft.assertThat(a.status()).as(as).isEqualTo(403);
                    soft.assertThat(a.body() == null ? "" : a.body().path("error_code").asText()).as(as)
                            .isEqualTo("PERMISSION_DENIED");
                } else {
                    soft.assertThat(a.status()).as(as).isEqualTo(403);
                    soft.assertThat(a.contentType()).as(as).startsWith("application/problem+json");
                    if (a.body() != null) {
                        soft.assertThat(a.body().path("status").asInt()).as(as).isEqualTo(403);
                        soft.assertThat(a.body().path("title").asText()).as(as).isEqualTo("Forbidden");
                        String detail = a.body().path("detail").asText();
                        soft.assertThat(detail).as(as).contains("access-" + role.id(), "has the role " + role.id());
                        allowed.forEach(r -> soft.assertThat(detail).as(as).contains(r.id()));
                    }
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void routesOutsideTheApiArePublicByNameOrBehindAWebSession() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (ServedRoutes.Route route : routes) {
            if (route.isApi() || PUBLIC.contains(route.toString())) {
                continue;
            }
            // anything else must be a page of the web app, which needs a session (an API key is not one)
            soft.assertThat(route.path()).as("%s is neither under /api/ nor listed as public", route).startsWith("/ui/");
            Answer a = call(KEYS.get(Role.ADMIN), route);
            String as = route + " (" + route.example() + ") without a session: " + a.raw();
            if (route.method() == HandlerType.GET) {
                soft.assertThat(a.status()).as(as).isIn(302, 303);
                soft.assertThat(a.http().headers().firstValue("Location")).as(as)
                        .hasValueSatisfying(l -> assertThat(l).startsWith("/ui/login"));
            } else {
                soft.assertThat(a.status()).as(as).isEqualTo(401);
            }
        }
        for (String open : PUBLIC) {
            soft.assertThat(routes).extracting(ServedRoutes.Route::toString).as("public route %s is served", open)
                    .contains(open);
        }
        soft.assertAll();
    }

    private static void assertUnauthorizedProblem(SoftAssertions soft, Answer a, String as) {
        soft.assertThat(a.contentType()).as(as).startsWith("application/problem+json");
        soft.assertThat(a.http().headers().firstValue("WWW-Authenticate")).as(as)
                .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        soft.assertThat(a.body()).as(as).isNotNull();
        if (a.body() != null) {
            soft.assertThat(a.body().path("status").asInt()).as(as).isEqualTo(401);
            soft.assertThat(a.body().path("title").asText()).as(as).isEqualTo("Unauthorized");
            soft.assertThat(a.body().path("detail").asText()).as(as).isNotBlank();
        }
    }
}
