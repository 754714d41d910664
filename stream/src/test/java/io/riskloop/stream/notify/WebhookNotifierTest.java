package io.riskloop.stream.notify;

import io.riskloop.core.domain.DecisionType;
import io.riskloop.stream.notify.AlertDeadLetter.Cause;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.riskloop.stream.notify.NotifyKit.CLOCK;
import static io.riskloop.stream.notify.NotifyKit.NOW;
import static io.riskloop.stream.notify.NotifyKit.QUICK;
import static io.riskloop.stream.notify.NotifyKit.SECRET;
import static io.riskloop.stream.notify.NotifyKit.alert;
import static io.riskloop.stream.notify.NotifyKit.verify;
import static org.assertj.core.api.Assertions.assertThat;

/** The webhook notifier against a real HTTP server, through the same retry loop the dispatcher runs. */
class WebhookNotifierTest {

    private final AtomicInteger retries = new AtomicInteger();

    private Courier.Outcome deliver(WebhookReceiver server, RetryPolicy policy, Alert alert) throws Exception {
        WebhookConfig config = new WebhookConfig("webhook", server.url(), SECRET, Duration.ofSeconds(5),
                Duration.ofSeconds(10), policy);
        try (WebhookNotifier n = new WebhookNotifier(config, CLOCK)) {
            return new Courier(n, new SplittableRandom(1), retries::incrementAndGet)
                    .deliver(alert, alert.deliveryId(n.name()), new CountDownLatch(1));
        }
    }

    @Test
    void postsTheAlertAsItIsSignedWithTheSecret() throws Exception {
        Alert a = alert("tx-1", DecisionType.DECLINE, 0.93, 57.12);
        try (WebhookReceiver server = WebhookReceiver.always(200)) {
            assertThat(deliver(server, QUICK, a)).isEqualTo(new Courier.Delivered(1));

            assertThat(server.requests()).hasSize(1);
            WebhookReceiver.Request r = server.requests().getFirst();
            assertThat(r.body()).isEqualTo(a.json().getBytes(StandardCharsets.UTF_8));
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("X-Riskloop-Signature")).startsWith("sha256=");
            assertThat(verify(SECRET, r.body(), r.header("X-Riskloop-Signature"))).isTrue();
            // the check is not vacuous: another secret, or one changed byte, fails it
            assertThat(verify(SECRET + "x", r.body(), r.header("X-Riskloop-Signature"))).isFalse();
            byte[] altered = r.body().clone();
            altered[altered.length - 2] ^= 1;
            assertThat(verify(SECRET, altered, r.header("X-Riskloop-Signature"))).isFalse();
            assertThat(r.header("X-Riskloop-Delivery")).isEqualTo(a.deliveryId("webhook"));
            assertThat(r.header("X-Riskloop-Timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        }
    }

    @Test
    void twice503Then200IsDeliveredOnceAfterRetriesWithOneDeliveryId() throws Exception {
        Alert a = alert("tx-2", DecisionType.REVIEW, 0.71, 12.00);
        try (WebhookReceiver server = WebhookReceiver.answering(503, 503, 200, 200)) {
            assertThat(deliver(server, QUICK.withMaxAttempts(5), a)).isEqualTo(new Courier.Delivered(3));

            assertThat(server.requests()).hasSize(3);
            assertThat(server.requests()).extracting(r -> r.header("X-Riskloop-Delivery")).containsOnly(
                    a.deliveryId("webhook"));
            assertThat(server.requests()).allSatisfy(r -> {
                assertThat(r.bodyText()).isEqualTo(a.json());
                assertThat(verify(SECRET, r.body(), r.header("X-Riskloop-Signature"))).isTrue();
            });
            assertThat(retries).hasValue(2);
        }
    }

    @Test
    void aServerThatKeepsFailingIsTriedMaxAttemptsTimesThenGivenUp() throws Exception {
        Alert a = alert("tx-3", DecisionType.DECLINE, 0.95, 80.00);
        try (WebhookReceiver server = WebhookReceiver.always(500)) {
            Courier.Outcome o = deliver(server, QUICK.withMaxAttempts(4), a);

            assertThat(o).isInstanceOfSatisfying(Courier.GaveUp.class, g -> {
                assertThat(g.attempts()).isEqualTo(4);
                assertThat(g.cause()).isEqualTo(Cause.RETRIES_EXHAUSTED);
                assertThat(g.lastStatus()).isEqualTo(500);
                assertThat(g.reason()).contains("gave up after 4 attempts", "HTTP 500", "answer to request 4");
            });
            assertThat(server.requests()).hasSize(4);
        }
    }

    @Test
    void a400IsNotRetried() throws Exception {
        Alert a = alert("tx-4", DecisionType.DECLINE, 0.95, 80.00);
        try (WebhookReceiver server = WebhookReceiver.answering(400, 200)) {
            Courier.Outcome o = deliver(server, QUICK.withMaxAttempts(5), a);

            assertThat(o).isInstanceOfSatisfying(Courier.GaveUp.class, g -> {
                assertThat(g.attempts()).isEqualTo(1);
                assertThat(g.cause()).isEqualTo(Cause.REJECTED);
                assertThat(g.lastStatus()).isEqualTo(400);
                assertThat(g.reason()).startsWith("not retried: HTTP 400");
            });
            assertThat(server.requests()).hasSize(1);
            assertThat(retries).hasValue(0);
        }
    }

    @Test
    void a429IsRetriedAndARetryAfterBeyondTheLongestWaitGivesUpAtOnce() throws Exception {
        Alert a = alert("tx-5", DecisionType.DECLINE, 0.95, 80.00);
        try (WebhookReceiver server = new WebhookReceiver((n, x) -> {
            x.getResponseHeaders().add("Retry-After", "0");
            return n == 1 ? 429 : 200;
        })) {
            assertThat(deliver(server, QUICK, a)).isEqualTo(new Courier.Delivered(2));
        }
        try (WebhookReceiver server = new WebhookReceiver((n, x) -> {
            x.getResponseHeaders().add("Retry-After", "3600");
            return 503;
        })) {
            Courier.Outcome o = deliver(server, QUICK.withMaxAttempts(5), a);
            assertThat(o).isInstanceOfSatisfying(Courier.GaveUp.class, g -> {
                assertThat(g.cause()).isEqualTo(Cause.RETRY_AFTER_TOO_LONG);
                assertThat(g.attempts()).isEqualTo(1);
                assertThat(g.reason()).contains("3600 s");
            });
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2025-03-14T09:00:00Z");
        assertThat(WebhookNotifier.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(WebhookNotifier.retryAfter("Fri, 14 Mar 2025 09:01:30 GMT", now)).isEqualTo(Duration.ofSeconds(90));
        assertThat(WebhookNotifier.retryAfter("Fri, 14 Mar 2025 08:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(WebhookNotifier.retryAfter("soon", now)).isNull();
        assertThat(WebhookNotifier.retryAfter(null, now)).isNull();
    }

    @Test
    void aRedirectIsNotFollowedNorRetried() throws Exception {
        Alert a = alert("tx-6", DecisionType.DECLINE, 0.95, 80.00);
        try (WebhookReceiver server = new WebhookReceiver((n, x) -> {
            x.getResponseHeaders().add("Location", "https://elsewhere.example/hook");
            return 301;
        })) {
            Courier.Outcome o = deliver(server, QUICK, a);
            assertThat(o).isInstanceOfSatisfying(Courier.GaveUp.class, g -> {
                assertThat(g.cause()).isEqualTo(Cause.REJECTED);
                assertThat(g.reason()).contains("HTTP 301", "https://elsewhere.example/hook");
            });
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void aRefusedConnectionIsRetried() throws Exception {
        Alert a = alert("tx-7", DecisionType.DECLINE, 0.95, 80.00);
        WebhookConfig config = WebhookConfig.of("http://127.0.0.1:" + NotifyKit.closedPort() + "/hook", SECRET)
                .withRetry(QUICK);
        try (WebhookNotifier n = new WebhookNotifier(config, CLOCK)) {
            Courier.Outcome o = new Courier(n, new SplittableRandom(1), retries::incrementAndGet)
                    .deliver(a, a.deliveryId(n.name()), new CountDownLatch(1));
            assertThat(o).isInstanceOfSatisfying(Courier.GaveUp.class, g -> {
                assertThat(g.cause()).isEqualTo(Cause.RETRIES_EXHAUSTED);
                assertThat(g.attempts()).isEqualTo(3);
                assertThat(g.lastStatus()).isNull();
                assertThat(g.lastError()).startsWith("cannot reach http://127.0.0.1:");
            });
        }
    }

    /** The shell check docs/alerts.md gives, run on a body riskloop signed. */
    @Test
    void theDocumentedOpensslCheckAgreesWithTheSignature(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("openssl"), "openssl is not installed");
        Alert a = alert("tx-8", DecisionType.DECLINE, 0.93, 57.12);
        try (WebhookReceiver server = WebhookReceiver.always(204)) {
            deliver(server, QUICK, a);
            WebhookReceiver.Request r = server.requests().getFirst();
            Files.write(dir.resolve("body.json"), r.body());
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", """
                    expected="sha256=$(openssl dgst -sha256 -hmac "$RISKLOOP_WEBHOOK_SECRET" -r < body.json | cut -d' ' -f1)"
                    [ "$expected" = "$SIGNATURE" ] && echo valid || echo invalid
                    """).directory(dir.toFile()).redirectErrorStream(true);
            // the receiver's side: its copy of the secret, and the header it got
            pb.environment().put("RISKLOOP_WEBHOOK_SECRET", SECRET);
            pb.environment().put("SIGNATURE", r.header("X-Riskloop-Signature"));
            Process p = pb.start();
            p.getOutputStream().close();
            assertThat(p.waitFor()).isZero();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out).isEqualTo("valid\n");
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
