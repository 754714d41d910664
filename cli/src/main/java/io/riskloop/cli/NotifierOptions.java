package io.riskloop.cli;

import io.riskloop.stream.notify.AlertDispatcher;
import io.riskloop.stream.notify.NoticeSender;
import io.riskloop.stream.notify.EmailConfig;
import io.riskloop.stream.notify.EmailNotifier;
import io.riskloop.stream.notify.Notifier;
import io.riskloop.stream.notify.Routing;
import io.riskloop.stream.notify.WebhookConfig;
import io.riskloop.stream.notify.WebhookNotifier;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Where alerts go: a signed webhook for reviews and declines, e-mail for declines (docs/alerts.md). */
final class NotifierOptions {

    @Option(names = "--webhook", description = "POST every review and decline to this URL, signed (docs/alerts.md).")
    String webhook;

    @Option(names = "--webhook-secret", defaultValue = "${env:RISKLOOP_WEBHOOK_SECRET}",
            description = "Secret of the webhook's HMAC-SHA256 signature (also RISKLOOP_WEBHOOK_SECRET).")
    String webhookSecret;

    @Option(names = "--smtp", description = "Mail every decline through this SMTP server, HOST:PORT.")
    String smtp;

    @Option(names = "--mail-from", defaultValue = "riskloop@localhost", description = "Sender of alert mails, default ${DEFAULT-VALUE}.")
    String mailFrom;

    @Option(names = "--mail-to", split = ",", description = "Recipients of alert mails, comma-separated.")
    List<String> mailTo;

    @Option(names = "--mail-starttls", description = "Require STARTTLS with the SMTP server.")
    boolean startTls;

    /** The configured notifiers and which decisions each is told about. */
    private record Configured(List<Notifier> notifiers, List<String> review, List<String> decline) {
    }

    /** The dispatcher for the configured notifiers, or null when none is configured. */
    AlertDispatcher start(String bootstrap, String uiBaseUrl, io.micrometer.core.instrument.MeterRegistry meters) {
        Configured c = configure(uiBaseUrl);
        if (c.notifiers().isEmpty()) {
            return null;
        }
        Routing routing = Routing.none();
        if (!c.review().isEmpty()) {
            routing = routing.review(c.review().toArray(String[]::new));
        }
        routing = routing.decline(c.decline().toArray(String[]::new));
        AlertDispatcher dispatcher = AlertDispatcher.start(AlertDispatcher.Options.defaults(bootstrap), routing,
                c.notifiers(), Clock.systemUTC(), System.nanoTime());
        dispatcher.metrics().bindTo(meters);
        return dispatcher;
    }

    /** What delivers the monitoring loop's alerts through the same notifiers, or null when none is configured. */
    NoticeSender notices(String uiBaseUrl, io.micrometer.core.instrument.MeterRegistry meters) {
        Configured c = configure(uiBaseUrl);
        return c.notifiers().isEmpty() ? null : new NoticeSender(c.notifiers(), meters, System.nanoTime());
    }

    private Configured configure(String uiBaseUrl) {
        List<Notifier> notifiers = new ArrayList<>();
        List<String> review = new ArrayList<>();
        List<String> decline = new ArrayList<>();
        Clock clock = Clock.systemUTC();
        if (webhook != null) {
            if (webhookSecret == null || webhookSecret.isBlank()) {
                throw new IllegalArgumentException("--webhook needs --webhook-secret (or RISKLOOP_WEBHOOK_SECRET)"
                        + " so that the receiver can check the alerts came from riskloop");
            }
            WebhookNotifier n = new WebhookNotifier(WebhookConfig.of(webhook, webhookSecret), clock);
            notifiers.add(n);
            review.add(n.name());
            decline.add(n.name());
        }
        if (smtp != null) {
            int colon = smtp.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--smtp must be HOST:PORT, was '" + smtp + "'");
            }
            if (mailTo == null || mailTo.isEmpty()) {
                throw new IllegalArgumentException("--smtp needs --mail-to with at least one recipient");
            }
            int port;
            try {
                port = Integer.parseInt(smtp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--smtp port '" + smtp.substring(colon + 1) + "' is not a number");
            }
            EmailConfig c = EmailConfig.of(smtp.substring(0, colon), port, mailFrom, mailTo).withStartTls(startTls);
            if (uiBaseUrl != null) {
                c = c.withBaseUrl(uiBaseUrl);
            }
            EmailNotifier n = new EmailNotifier(c, clock);
            notifiers.add(n);
            decline.add(n.name());
        }
        return new Configured(notifiers, review, decline);
    }
}
