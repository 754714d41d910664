package io.riskloop.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.http.Context;
import io.riskloop.registry.RegistryException;

/** Reading request bodies: JSON objects only, with a clear refusal for anything else. */
public final class Requests {

    static final ObjectMapper JSON = new ObjectMapper();

    private Requests() {
    }

    /** The body as a JSON object; an empty body is an empty object. */
    public static JsonNode object(Context ctx) {
        String body = ctx.body(); // refuses bodies over the size limit (413)
        if (body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw RegistryException.invalid("body", "the request body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw RegistryException.invalid("body", "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }
}
