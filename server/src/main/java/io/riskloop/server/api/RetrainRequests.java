package io.riskloop.server.api;

import io.riskloop.server.ApiProblem;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.Principal;
import io.riskloop.server.monitor.MonitorLoop;

import java.util.List;

/**
 * A retraining asked for by a person or a program, for the API and the web app alike: handed to this server's
 * monitoring loop, which starts it at its next round (the retraining's steps and outcome then appear among the
 * loop's events), and written to the audit log.
 */
public final class RetrainRequests {

    /** The longest reason kept with a request. */
    public static final int MAX_REASON = 500;

    /**
     * A request handed over.
     *
     * @param modelName   the model the loop retrains
     * @param requestedBy the caller's key name, recorded with the retraining
     * @param detail      what happens next, for people
     */
    public record Requested(String modelName, String requestedBy, String detail) {
    }

    private RetrainRequests() {
    }

    /**
     * @param via    where the request came from, for the audit log ("API", "web app")
     * @param reason why, or null
     * @throws ApiProblem 409 when this server runs no monitoring loop
     */
    public static Requested submit(ServerParts parts, Principal who, String via, String reason) {
        MonitorLoop loop = parts.loop();
        if (loop == null) {
            throw new ApiProblem(409, "Conflict", "this server does not run the monitoring loop, so nothing would"
                    + " start the retraining: send the request to the server that runs the loop, or retrain at once"
                    + " with 'riskloop retrain'", List.of());
        }
        loop.requestRetraining(who.name());
        parts.audit().append(who.name(), "retrain.request", "model:" + loop.modelName(), null,
                "{\"trigger\":\"manual\"}", reason == null ? "via the " + via : "via the " + via + ": " + reason);
        return new Requested(loop.modelName(), who.name(), "the monitoring loop retrains " + loop.modelName()
                + " at its next round, unless a retraining or a challenger is already in flight (then at the first"
                + " round after); retrain_triggered and its outcome appear in /api/v1/monitoring/events");
    }
}
