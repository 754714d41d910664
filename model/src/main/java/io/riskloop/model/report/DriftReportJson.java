package io.riskloop.model.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import io.riskloop.core.drift.DriftReport;
import io.riskloop.model.Json;

import java.io.IOException;

/**
 * The JSON form of a {@link DriftReport}, for storage and the API: riskloop's usual JSON (snake_case, ISO-8601 times)
 * with {@code format_version} first. Numbers that are not defined (a distance's p-value, a statistic where a side had
 * no values) are written as null and read back as NaN.
 */
public final class DriftReportJson {

    public static final int CURRENT_VERSION = 1;
    private static final String VERSION_FIELD = "format_version";

    private static final ObjectMapper MAPPER = Json.mapper().copy().registerModule(new SimpleModule("drift-nan")
            .addSerializer(Double.class, new NanAsNull()).addSerializer(Double.TYPE, new NanAsNull())
            .addDeserializer(Double.class, new NullAsNan()).addDeserializer(Double.TYPE, new NullAsNan()));

    private DriftReportJson() {
    }

    public static String write(DriftReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put(VERSION_FIELD, CURRENT_VERSION);
        root.setAll((ObjectNode) MAPPER.valueToTree(report));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("drift report of model " + report.modelVersion() + " not writable as JSON", e);
        }
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @throws IllegalArgumentException when the text is not such a report or is of another format version
     */
    public static DriftReport read(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (!(root instanceof ObjectNode object) || !root.path(VERSION_FIELD).isInt()) {
                throw new IllegalArgumentException("not a riskloop drift report: no integer '" + VERSION_FIELD + "'");
            }
            int version = root.get(VERSION_FIELD).intValue();
            if (version != CURRENT_VERSION) {
                throw new IllegalArgumentException("drift report of format version " + version
                        + " cannot be read: this riskloop reads version " + CURRENT_VERSION);
            }
            object.remove(VERSION_FIELD);
            return MAPPER.treeToValue(object, DriftReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a readable drift report: " + e.getOriginalMessage(), e);
        }
    }

    private static final class NanAsNull extends StdScalarSerializer<Double> {
        NanAsNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value.isNaN()) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }
    }

    private static final class NullAsNan extends StdScalarDeserializer<Double> {
        NullAsNan() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getDoubleValue();
            }
            return (Double) ctxt.handleUnexpectedToken(Double.class, p);
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }
}
