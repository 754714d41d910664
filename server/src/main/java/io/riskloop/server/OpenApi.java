package io.riskloop.server;

import io.javalin.Javalin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAPI document of riskloop's API, written by hand as a resource ({@code openapi.json}) and kept honest by
 * a test that finds every route the server declares in it, and a page that shows it to people ({@code /docs}).
 */
final class OpenApi {

    static final String RESOURCE = "/openapi.json";

    private OpenApi() {
    }

    static String document() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void routes(Javalin app) {
        String doc = document();
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(doc));
    }
}
