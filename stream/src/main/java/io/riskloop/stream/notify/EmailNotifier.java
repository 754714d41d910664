package io.riskloop.stream.notify;

import io.riskloop.core.domain.DecisionType;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Properties;

/**
 * Sends each alert as a plain-text e-mail through an SMTP server (Jakarta Mail): a subject an analyst can triage
 * from, such as {@code [riskloop] DECLINE 0.93 card tok_3f9a2c1b… 57.12 EUR}, and a body with the transaction, the
 * score, the reasons, the model version and, when a base URL is configured, a link to the transaction.
 * A refused connection, a timeout and SMTP 4xx replies are worth retrying; failed authentication and SMTP 5xx
 * replies (an unknown recipient, a refused sender) are final.
 */
public final class EmailNotifier implements Notifier {

    private static final int TOKEN_SHOWN = 12;

    private final EmailConfig config;
    private final Clock clock;
    private final Session session;

    public EmailNotifier(EmailConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        Properties p = new Properties();
        String timeout = Long.toString(config.timeout().toMillis());
        p.put("mail.smtp.host", config.host());
        p.put("mail.smtp.port", Integer.toString(config.port()));
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.auth", Boolean.toString(config.username() != null));
        if (config.startTls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true"); // no silent fall back to plain text
        }
        this.session = Session.getInstance(p);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public RetryPolicy retryPolicy() {
        return config.retry();
    }

    /** The subject line: decision, score, card token (shortened), amount and currency. */
    public static String subject(Alert a) {
        String card = a.cardId().length() > TOKEN_SHOWN + 4 ? a.cardId().substring(0, TOKEN_SHOWN) + "…" : a.cardId();
        return String.format(Locale.ROOT, "[riskloop] %s %.2f card %s %s", a.decision(), a.score(), card, amount(a));
    }

    /** The plain-text body. */
    public String body(Alert a) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "riskloop %s transaction %s (score %.4f).\n\n",
                a.decision() == DecisionType.DECLINE ? "declined" : "asks for a review of",
                a.transactionId(), a.score()));
        line(b, "Transaction", a.transactionId());
        line(b, "Time", a.timestamp().toString());
        line(b, "Card", a.cardId());
        line(b, "Terminal", a.terminalId().isEmpty() ? "(none)" : a.terminalId());
        line(b, "Amount", amount(a));
        line(b, "Decision", a.decision().name());
        line(b, "Score", String.format(Locale.ROOT, "%.4f", a.score()));
        if (a.reasons().isEmpty()) {
            line(b, "Reasons", "(none given)");
        } else {
            for (int i = 0; i < a.reasons().size(); i++) {
                line(b, i == 0 ? "Reasons" : "", "- " + a.reasons().get(i));
            }
        }
        line(b, "Model version", a.modelVersion().isEmpty() ? "(unknown)" : a.modelVersion());
        line(b, "Decided at", a.decidedAt().toString());
        if (config.baseUrl() != null) {
            b.append('\n');
            line(b, "Details", link(a));
        }
        return b.toString();
    }

    /** {@code {baseUrl}/transactions/{id}}, or null without a base URL. */
    String link(Alert a) {
        if (config.baseUrl() == null) {
            return null;
        }
        return config.baseUrl() + "/transactions/"
                + URLEncoder.encode(a.transactionId(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public Attempt send(Alert alert, String deliveryId, int attempt) {
        return mail(subject(alert), body(alert), deliveryId);
    }

    @Override
    public Attempt send(Notice notice, int attempt) {
        return mail("[riskloop] " + notice.subject(), notice.text(), notice.id());
    }

    private Attempt mail(String subject, String text, String deliveryId) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(config.from(), true));
            m.setRecipients(Message.RecipientType.TO, config.to().stream()
                    .map(EmailNotifier::address).toArray(InternetAddress[]::new));
            m.setSubject(subject, StandardCharsets.UTF_8.name());
            m.setText(text, StandardCharsets.UTF_8.name());
            m.setSentDate(Date.from(clock.instant()));
            m.setHeader(WebhookNotifier.DELIVERY, deliveryId);
            m.saveChanges();
            try (Transport t = session.getTransport("smtp")) {
                t.connect(config.host(), config.port(), config.username(), config.password());
                t.sendMessage(m, m.getAllRecipients());
            }
            return Attempt.delivered();
        } catch (MessagingException e) {
            return classify(e);
        }
    }

    private Attempt classify(MessagingException e) {
        String where = "SMTP " + config.host() + ":" + config.port() + ": ";
        if (e instanceof AuthenticationFailedException) {
            return Attempt.permanentFailure(null, where + "authentication as '" + config.username() + "' failed: "
                    + e.getMessage());
        }
        Integer code = replyCode(e);
        String error = where + describe(e);
        if (code != null && code >= 500) {
            return Attempt.permanentFailure(code, error);
        }
        // 4xx replies, refused connections, timeouts, and errors of unknown kind: worth another try, for as long as
        // the retry policy allows
        return Attempt.transientFailure(code, error, null);
    }

    /** The SMTP reply code carried by {@code e} or one it chains to, or null. */
    private static Integer replyCode(Exception e) {
        for (Exception x = e; x != null; x = x instanceof MessagingException me ? me.getNextException() : null) {
            if (x instanceof SMTPSendFailedException s) {
                return s.getReturnCode();
            }
            if (x instanceof SMTPAddressFailedException s) {
                return s.getReturnCode();
            }
        }
        return null;
    }

    private static String describe(MessagingException e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()).strip());
        Exception next = e.getNextException();
        if (next != null && next.getMessage() != null && !s.toString().contains(next.getMessage().strip())) {
            s.append(" (").append(next.getMessage().strip()).append(')');
        }
        return s.toString().replaceAll("\\s+", " ");
    }

    private static String amount(Alert a) {
        return String.format(Locale.ROOT, "%.2f", a.amount()) + (a.currency() == null ? "" : " " + a.currency());
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-14s %s\n", label, value));
    }

    private static InternetAddress address(String a) {
        try {
            return new InternetAddress(a, true);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalStateException("recipient '" + a + "' was checked when configured", e);
        }
    }
}
