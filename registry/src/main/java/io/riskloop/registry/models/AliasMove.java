package io.riskloop.registry.models;

import java.time.Instant;

/**
 * One change of an alias, as recorded.
 *
 * @param seq         1, 2, 3 ... for the moves of this alias of this model, without gaps
 * @param fromVersion the version the alias pointed at before, or null
 * @param toVersion   the version it points at after, or null when the move deleted it
 */
public record AliasMove(long id, String modelName, String alias, int seq, Kind kind, Integer fromVersion,
                        Integer toVersion, String actor, String reason, Instant movedAt) {

    public enum Kind {
        /** Pointed at a version (a promotion, for champion). */
        SET,
        /** Returned to the version before the current one. */
        ROLLBACK,
        /** Removed. */
        DELETE;

        String sql() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public String describe() {
        return switch (kind) {
            case SET -> alias + " -> v" + toVersion + (fromVersion != null ? " (was v" + fromVersion + ")" : "");
            case ROLLBACK -> alias + " rolled back to v" + toVersion + " (was v" + fromVersion + ")";
            case DELETE -> alias + " removed (was v" + fromVersion + ")";
        };
    }
}
