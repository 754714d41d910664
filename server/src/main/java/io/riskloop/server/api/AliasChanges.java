package io.riskloop.server.api;

import io.riskloop.registry.models.AliasMove;
import io.riskloop.store.audit.AuditLog;

/** Alias moves in the audit log: the version before and after, and the reason. */
public final class AliasChanges {

    private AliasChanges() {
    }

    public static void audit(AuditLog audit, String actor, String action, AliasMove m) {
        audit.append(actor, action, "model:" + m.modelName() + "@" + m.alias(),
                m.fromVersion() == null ? null : "{\"version\":" + m.fromVersion() + "}",
                m.toVersion() == null ? null : "{\"version\":" + m.toVersion() + "}", m.reason());
    }
}
