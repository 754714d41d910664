package io.riskloop.server.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.riskloop.registry.RegistryException;
import io.riskloop.server.Requests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An MLflow call's parameters, from the JSON body or the query string as MLflow's clients send them (GET and
 * DELETE in the query, POST and PATCH in the body). MLflow's Java client writes 64-bit numbers as JSON strings
 * (protobuf's JSON form); numbers are accepted either way.
 */
final class MlflowRequest {

    private final Context ctx;
    private final JsonNode body;

    MlflowRequest(Context ctx) {
        this.ctx = ctx;
        this.body = Requests.object(ctx);
    }

    io.riskloop.server.auth.Principal principal() {
        return ctx.attribute(io.riskloop.server.auth.Access.PRINCIPAL);
    }

    String header(String name) {
        return ctx.header(name);
    }

    String string(String name) {
        JsonNode n = body.get(name);
        if (n != null && !n.isNull()) {
            if (!n.isValueNode()) {
                throw RegistryException.invalid(name, "parameter '" + name + "' must be a string");
            }
            return n.asText();
        }
        return ctx.queryParam(name);
    }

    String required(String name) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            throw RegistryException.invalid(name, "missing value for required parameter '" + name + "'");
        }
        return v;
    }

    /** The first of several names that is present (MLflow renamed run_uuid to run_id and accepts both). */
    String required(String name, String alternative) {
        String v = string(name);
        return v != null && !v.isEmpty() ? v : required(alternative);
    }

    Long longValue(String name) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw RegistryException.invalid(name, "parameter '" + name + "' must be a whole number, was '" + v + "'");
        }
    }

    int intRequired(String name) {
        String v = required(name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw RegistryException.invalid(name, "parameter '" + name + "' must be a whole number, was '" + v + "'");
        }
    }

    double doubleRequired(String name) {
        return number(body.get(name) != null ? body.get(name) : null, required(name), name);
    }

    static double number(JsonNode node, String text, String name) {
        if (node != null && node.isNumber()) {
            return node.asDouble();
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException | NullPointerException e) {
            throw RegistryException.invalid(name, "parameter '" + name + "' must be a number, was '" + text + "'");
        }
    }

    /** A list: a JSON array in the body, or the repeated query parameter. */
    List<String> list(String name) {
        JsonNode n = body.get(name);
        if (n != null && !n.isNull()) {
            if (!n.isArray()) {
                throw RegistryException.invalid(name, "parameter '" + name + "' must be a list");
            }
            List<String> out = new ArrayList<>();
            n.forEach(x -> out.add(x.asText()));
            return out;
        }
        return ctx.queryParams(name);
    }

    /** The objects of a list parameter (log-batch's metrics, tags...). */
    List<JsonNode> objects(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw RegistryException.invalid(name, "parameter '" + name + "' must be a list");
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    /** A list of {key, value} objects as a map. */
    Map<String, String> keyValues(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode kv : objects(name)) {
            JsonNode k = kv.get("key");
            JsonNode v = kv.get("value");
            if (k == null || k.isNull()) {
                throw RegistryException.invalid(name, "every entry of '" + name + "' needs a key");
            }
            out.put(k.asText(), v == null || v.isNull() ? "" : v.asText());
        }
        return out;
    }
}
