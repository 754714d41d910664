package io.riskloop.store.audit;

import java.time.Instant;

/**
 * One change in the audit log.
 *
 * @param id      its place in the log (ascending with time)
 * @param at      when
 * @param actor   who: an API key's name, or a person's name from the command line
 * @param action  what, e.g. {@code label.set}, {@code alias.set}, {@code key.create}
 * @param subject what it was done to, e.g. {@code transaction:tx-17}, {@code model:fraud}, {@code key:ann}
 * @param before  the state before, as JSON, or null (creation, or not known)
 * @param after   the state after, as JSON, or null (deletion)
 * @param detail  a comment or reason, or null
 */
public record AuditEntry(long id, Instant at, String actor, String action, String subject, String before,
                         String after, String detail) {
}
