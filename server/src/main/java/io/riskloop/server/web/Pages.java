package io.riskloop.server.web;

import io.riskloop.registry.models.AliasMove;
import io.riskloop.registry.models.Lineage;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.models.RegisteredModel;
import io.riskloop.server.api.AccuracySeries;
import io.riskloop.server.api.TransactionDetails;
import io.riskloop.server.auth.Principal;
import io.riskloop.store.audit.AuditEntry;
import io.riskloop.store.decisions.DecisionQueries;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.monitor.MonitorStore;

import java.util.List;

/** What each page of the web app shows: one record per template. */
public final class Pages {

    private Pages() {
    }

    /**
     * The frame of every page.
     *
     * @param user the person logged in, or null
     * @param csrf the session's CSRF token, or the log-in form's
     */
    public record Layout(String title, String active, Principal user, String csrf) {
        public boolean admin() {
            return user != null && user.role() == io.riskloop.server.auth.Role.ADMIN;
        }
    }

    public record Login(Layout layout, String error, String next) {
    }

    /** The review queue's filters as typed, to show them again. */
    public record QueueFilter(String minScore, String maxScore, String from, String to, String cardId) {
    }

    public record Queue(Layout layout, List<TransactionDetails.Summary> items, long total, String nextPageToken,
                        QueueFilter filter, String nextQuery, String error) {
    }

    public record Transaction(Layout layout, TransactionDetails.Detail detail, List<AuditEntry> audit,
                              String chartJson, String notice, boolean canLabel) {
    }

    public record Dashboard(Layout layout, DecisionQueries.Dashboard figures, String chartJson, int minutes,
                            double perSecond) {
    }

    public record VersionRow(ModelVersion version, Lineage lineage) {
    }

    public record Models(Layout layout, List<RegisteredModel> models, String name, List<VersionRow> versions,
                         List<AliasMove> history, String notice) {
    }

    /**
     * A change to confirm.
     *
     * @param action  "promote" or "rollback"
     * @param version the version to promote, or the one a rollback returns to
     * @param current the version the alias points at now, or null
     */
    public record Confirm(Layout layout, String action, String model, String alias, Integer version, Integer current,
                          String error) {
    }

    /**
     * The Monitoring page.
     *
     * @param days     how far back accuracy is shown
     * @param loopHere whether this server runs the monitoring loop (and can take a retraining request)
     * @param notice   what was just done, or null
     */
    public record Monitoring(Layout layout, int days, List<AccuracySeries> series, String chartJson,
                             List<LoopEvent> events, List<MonitorStore.StoredDriftReport> reports, boolean loopHere,
                             String notice) {
    }

    public record Audit(Layout layout, List<AuditEntry> entries, Long nextBeforeId, String subject) {
    }

    public record Error(Layout layout, int status, String title, String detail) {
    }

    /** One endpoint of the API documentation. */
    public record Endpoint(String method, String path, String summary, String description, String roles,
                           String example) {
    }

    public record Docs(Layout layout, String version, List<Endpoint> endpoints) {
    }
}
