package io.riskloop.server.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.riskloop.model.Json;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.stream.notify.Notice;

import java.util.LinkedHashMap;
import java.util.Map;

/** The monitoring loop's alerts as notices for the notifiers (docs/alerts.md, "Monitoring notices"). */
public final class LoopNotices {

    private LoopNotices() {
    }

    public static Notice of(LoopEvent e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "monitoring");
        body.put("id", e.id());
        body.put("kind", e.kind());
        body.put("at", e.at().toString());
        body.put("model_name", e.modelName());
        body.put("version", e.version());
        body.put("summary", e.summary());
        body.put("details", e.details());
        String json;
        try {
            json = Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("loop event " + e.id() + " cannot be written as JSON", ex);
        }
        String subject = e.kind().replace('_', ' ') + (e.version() != null ? ": " + e.version() : "");
        String text = e.summary() + "\n\nModel: " + e.modelName() + (e.version() != null ? " (" + e.version() + ")" : "")
                + "\nAt: " + e.at() + "\nEvent: " + e.id() + " (" + e.kind() + ")\n";
        return new Notice("loop-event-" + e.id(), e.kind(), e.at(), subject, text, json);
    }
}
