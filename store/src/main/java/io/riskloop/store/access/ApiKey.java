package io.riskloop.store.access;

import java.time.Instant;

/**
 * An API key as stored: never the key itself, only its hash and first characters.
 *
 * @param id        row id
 * @param name      who or what holds it (unique among live keys); the audit log names actors by it
 * @param role      analyst, admin or service
 * @param prefix    the key's first characters, to tell keys apart in listings
 * @param createdAt when it was made
 * @param createdBy who made it
 * @param revokedAt when it was revoked, or null while it is live
 * @param revokedBy who revoked it, or null
 */
public record ApiKey(long id, String name, String role, String prefix, Instant createdAt, String createdBy,
                     Instant revokedAt, String revokedBy) {

    public boolean live() {
        return revokedAt == null;
    }
}
