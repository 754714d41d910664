package io.riskloop.server.api;

import io.riskloop.registry.models.AliasMove;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.store.audit.AuditLog;

import java.util.Locale;

/**
 * Alias moves in the audit log: {@code alias.set}, {@code alias.delete} or {@code alias.rollback} by the move's
 * actor, subject {@code model:<name>@<alias>}, the version before and after, and the reason. Every alias move riskloop
 * makes itself (the API, the web app, the command line, the monitoring loop) is written through {@link #audited},
 * in the transaction that moves the alias.
 */
public final class AliasChanges {

    private AliasChanges() {
    }

    /** Writes each move's audit entry in the move's own transaction. */
    public static ModelRegistry.MoveRecorder audited(AuditLog audit) {
        return (c, m) -> audit.append(c, m.actor(), action(m), subject(m), version(m.fromVersion()),
                version(m.toVersion()), m.reason());
    }

    /** The audit log's action for a move: {@code alias.set}, {@code alias.delete}, {@code alias.rollback}. */
    public static String action(AliasMove m) {
        return "alias." + m.kind().name().toLowerCase(Locale.ROOT);
    }

    /** The audit log's subject for a move of {@code alias} of model {@code name}: {@code model:name@alias}. */
    public static String subject(AliasMove m) {
        return "model:" + m.modelName() + "@" + m.alias();
    }

    private static String version(Integer v) {
        return v == null ? null : "{\"version\":" + v + "}";
    }
}
