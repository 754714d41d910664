package io.riskloop.stream.notify;

import java.time.Instant;

/**
 * A message about riskloop itself rather than a transaction: a monitoring alert (drift detected, accuracy drop, a
 * retraining stopped, a rollback). Notifiers deliver it beside transaction alerts: the webhook posts {@code json}
 * (header {@value WebhookNotifier#EVENT} names the kind), e-mail sends {@code subject} and {@code text}.
 *
 * @param id      unique per notice, the delivery id on every attempt
 * @param kind    what happened, e.g. {@code drift_detected}
 * @param at      when, in the clock of whoever raised it
 * @param subject one line for people
 * @param text    the plain-text body
 * @param json    the notice as JSON (docs/alerts.md, "Monitoring notices")
 */
public record Notice(String id, String kind, Instant at, String subject, String text, String json) {
}
