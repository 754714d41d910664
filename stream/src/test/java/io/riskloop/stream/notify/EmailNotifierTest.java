package io.riskloop.stream.notify;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.stream.notify.AlertDeadLetter.Cause;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.riskloop.stream.notify.NotifyKit.CARD;
import static io.riskloop.stream.notify.NotifyKit.CLOCK;
import static io.riskloop.stream.notify.NotifyKit.QUICK;
import static io.riskloop.stream.notify.NotifyKit.alert;
import static org.assertj.core.api.Assertions.assertThat;

/** The e-mail notifier against a real SMTP server (GreenMail, in process), through the dispatcher's retry loop. */
class EmailNotifierTest {

    GreenMail smtp;
    final AtomicInteger retries = new AtomicInteger();

    @BeforeEach
    void startSmtp() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@riskloop.example", "alerts",
                        "s3cret-pass"));
        smtp.start();
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    EmailConfig config() {
        return EmailConfig.of("127.0.0.1", smtp.getSmtp().getPort(), "alerts@riskloop.example",
                List.of("analyst@bank.example", "fraud-desk@bank.example")).withRetry(QUICK);
    }

    Courier.Outcome deliver(EmailConfig config, Alert a) throws Exception {
        try (EmailNotifier n = new EmailNotifier(config, CLOCK)) {
            return new Courier(n, new SplittableRandom(1), retries::incrementAndGet)
                    .deliver(a, a.deliveryId(n.name()), new CountDownLatch(1));
        }
    }

    @Test
    void sendsSubjectRecipientsAndBodyAnAnalystCanActOn() throws Exception {
        Alert a = alert("tx-42", DecisionType.DECLINE, 0.9312, 57.12);
        EmailConfig config = config().withBaseUrl("https://riskloop.bank.example/");

        assertThat(deliver(config, a)).isEqualTo(new Courier.Delivered(1));

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per recipient's mailbox
        MimeMessage m = received[0];
        assertThat(m.getSubject()).isEqualTo("[riskloop] DECLINE 0.93 card tok_01234567… 57.12 EUR");
        assertThat(Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                .containsExactly("analyst@bank.example", "fraud-desk@bank.example");
        assertThat(m.getFrom()[0]).hasToString("alerts@riskloop.example");
        assertThat(m.getHeader("X-Riskloop-Delivery")).containsExactly(a.deliveryId("email"));
        String body = GreenMailUtil.getBody(m).replace("\r\n", "\n");
        assertThat(body).contains(
                "riskloop declined transaction tx-42 (score 0.9312).",
                "Transaction    tx-42\n",
                "Card           " + CARD + "\n",
                "Terminal       term-7\n",
                "Amount         57.12 EUR\n",
                "Score          0.9312\n",
                "Reasons        - score 0.9312 >= threshold 0.9\n",
                "               - amount above the card's 30-day mean\n",
                "Model version  fraud/3\n",
                "Decided at     2025-03-14T09:26:53Z\n",
                "Details        https://riskloop.bank.example/transactions/tx-42");
    }

    @Test
    void aReviewSaysSoAndWithoutABaseUrlThereIsNoLink() throws Exception {
        Alert a = alert("tx/43 b", DecisionType.REVIEW, 0.61, 9.5);

        assertThat(deliver(config(), a)).isEqualTo(new Courier.Delivered(1));

        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("[riskloop] REVIEW 0.61 card tok_01234567… 9.50 EUR");
        String body = GreenMailUtil.getBody(m);
        assertThat(body).contains("asks for a review of transaction tx/43 b").doesNotContain("Details", "http");
        // with a base URL, an id is encoded as one path segment
        EmailNotifier withLink = new EmailNotifier(config().withBaseUrl("https://r.example"), CLOCK);
        assertThat(withLink.link(a)).isEqualTo("https://r.example/transactions/tx%2F43%20b");
    }

    @Test
    void authenticatesWhenToldAndAWrongPasswordIsNotRetried() throws Exception {
        Alert a = alert("tx-44", DecisionType.DECLINE, 0.97, 120.0);
        assertThat(deliver(config().withAuthentication("alerts", "s3cret-pass"), a))
                .isEqualTo(new Courier.Delivered(1));
        assertThat(smtp.getReceivedMessages()).hasSize(2);

        Courier.Outcome o = deliver(config().withAuthentication("alerts", "wrong"), a);
        assertThat(o).isInstanceOfSatisfying(Courier.GaveUp.class, g -> {
            assertThat(g.cause()).isEqualTo(Cause.REJECTED);
            assertThat(g.attempts()).isEqualTo(1);
            assertThat(g.reason()).contains("authentication as 'alerts' failed");
        });
        assertThat(smtp.getReceivedMessages()).hasSize(2);
    }

    @Test
    void aServerThatIsDownIsRetriedThenGivenUp() throws Exception {
        Alert a = alert("tx-45", DecisionType.DECLINE, 0.97, 120.0);
        EmailConfig down = EmailConfig.of("127.0.0.1", NotifyKit.closedPort(), "alerts@riskloop.example",
                List.of("analyst@bank.example")).withRetry(QUICK.withMaxAttempts(4));

        Courier.Outcome o = deliver(down, a);

        assertThat(o).isInstanceOfSatisfying(Courier.GaveUp.class, g -> {
            assertThat(g.cause()).isEqualTo(Cause.RETRIES_EXHAUSTED);
            assertThat(g.attempts()).isEqualTo(4);
            assertThat(g.lastStatus()).isNull();
            assertThat(g.lastError()).contains("SMTP 127.0.0.1:" + down.port());
        });
        assertThat(retries).hasValue(3);
    }
}
