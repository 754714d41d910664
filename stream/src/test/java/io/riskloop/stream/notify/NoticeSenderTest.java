package io.riskloop.stream.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.riskloop.stream.notify.NotifyKit.CLOCK;
import static io.riskloop.stream.notify.NotifyKit.NOW;
import static io.riskloop.stream.notify.NotifyKit.QUICK;
import static io.riskloop.stream.notify.NotifyKit.SECRET;
import static io.riskloop.stream.notify.NotifyKit.verify;
import static org.assertj.core.api.Assertions.assertThat;

/** Monitoring notices through the real notifiers: a signed webhook that fails once, and an SMTP server. */
class NoticeSenderTest {

    static final Notice NOTICE = new Notice("loop-event-7", "drift_detected", NOW, "drift detected: fraud/3",
            "dataset drift against fraud/3's reference: 60 % of features drifted",
            "{\"type\":\"monitoring\",\"kind\":\"drift_detected\",\"id\":7}");

    @Test
    void aNoticeReachesTheWebhookSignedAfterARetryAndTheMailboxOnce() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (WebhookReceiver server = WebhookReceiver.answering(503, 200);
             NoticeSender sender = new NoticeSender(List.of(
                     new WebhookNotifier(new WebhookConfig("webhook", server.url(), SECRET, Duration.ofSeconds(5),
                             Duration.ofSeconds(10), QUICK), CLOCK),
                     new EmailNotifier(EmailConfig.of("127.0.0.1", smtp.getSmtp().getPort(), "riskloop@bank.example",
                             List.of("ml-team@bank.example")).withRetry(QUICK), CLOCK)), meters, 1)) {
            sender.send(NOTICE);
            assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (meters.find("riskloop.notices.delivered").tag("notifier", "webhook").counter() == null
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.requests()).hasSize(2);
            WebhookReceiver.Request r = server.requests().getLast();
            assertThat(r.bodyText()).isEqualTo(NOTICE.json());
            assertThat(r.header("X-Riskloop-Event")).isEqualTo("drift_detected");
            assertThat(r.header("X-Riskloop-Delivery")).isEqualTo("loop-event-7");
            assertThat(verify(SECRET, r.body(), r.header("X-Riskloop-Signature"))).isTrue();
            MimeMessage m = smtp.getReceivedMessages()[0];
            assertThat(m.getSubject()).isEqualTo("[riskloop] drift detected: fraud/3");
            assertThat(GreenMailUtil.getBody(m)).contains("60 % of features drifted");
            assertThat(meters.get("riskloop.notices.delivered").tag("notifier", "webhook").counter().count())
                    .isEqualTo(1.0);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aNoticeTheReceiverRefusesIsCountedAsFailed() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (WebhookReceiver server = WebhookReceiver.always(400)) {
            NoticeSender sender = new NoticeSender(List.of(new WebhookNotifier(new WebhookConfig("webhook",
                    server.url(), SECRET, Duration.ofSeconds(5), Duration.ofSeconds(10), QUICK), CLOCK)), meters, 1);
            sender.send(NOTICE);
            sender.close(); // waits for the attempt in flight
            assertThat(server.requests()).hasSize(1);
            assertThat(meters.get("riskloop.notices.failed").tag("notifier", "webhook").counter().count())
                    .isEqualTo(1.0);
        }
    }
}
