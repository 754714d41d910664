package io.riskloop.server;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import io.riskloop.server.auth.Role;
import io.riskloop.server.mlflow.MlflowApi;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The routes a server declares, read from Javalin's router: the list the OpenAPI test and the access test both go
 * through, so that a route added to the server is checked by both without being listed anywhere by hand.
 */
final class ServedRoutes {

    /** One declared route: method, path as declared ({@code {id}}, {@code <path>}), and its roles. */
    record Route(HandlerType method, String path, Set<Role> roles) {

        /** Lower-case method, as the OpenAPI document writes it. */
        String openApiMethod() {
            return method.name().toLowerCase(Locale.ROOT);
        }

        String httpMethod() {
            return method.name();
        }

        boolean isApi() {
            return path.startsWith("/api/");
        }

        boolean isMlflow() {
            return path.startsWith(MlflowApi.PREFIX);
        }

        /** The path with {@code <path>} written as OpenAPI writes a parameter. */
        String openApiPath() {
            return path.replace("<path>", "{path}");
        }

        /** A concrete path this route matches: each parameter filled in. */
        String example() {
            return path.replace("<path>", "model/model.json").replaceAll("\\{[^}/]+}", "1");
        }

        @Override
        public String toString() {
            return method.name() + " " + path;
        }
    }

    private ServedRoutes() {
    }

    /** Every HTTP route of a server made of {@code parts} (HEAD, which Javalin adds for GET, left out). */
    static List<Route> of(ServerParts parts) {
        Javalin app = RiskloopServer.create(parts);
        List<Route> routes = new ArrayList<>();
        for (ParsedEndpoint e : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            HandlerType m = e.getEndpoint().getMethod();
            if (!m.isHttpMethod() || m == HandlerType.HEAD) {
                continue;
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            e.getEndpoint().getRoles().forEach(r -> roles.add((Role) r));
            routes.add(new Route(m, e.getEndpoint().getPath(), Set.copyOf(roles)));
        }
        return routes;
    }
}
