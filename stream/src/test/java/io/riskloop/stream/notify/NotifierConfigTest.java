package io.riskloop.stream.notify;

import io.riskloop.core.domain.DecisionType;
import io.riskloop.stream.Topics;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.riskloop.stream.notify.NotifyKit.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad configuration fails at once, saying which notifier, which setting, and what would do. */
class NotifierConfigTest {

    @Test
    void aWebhookNeedsAnHttpUrlAndASecret() {
        assertThatThrownBy(() -> WebhookConfig.of("ftp://alerts.example/hook", SECRET))
                .hasMessage("webhook 'webhook': url 'ftp://alerts.example/hook' must be an absolute http or https URL"
                        + " with a host, such as https://alerts.example.com/riskloop");
        assertThatThrownBy(() -> WebhookConfig.of("https://exa mple.com/hook", SECRET))
                .hasMessageStartingWith("webhook 'webhook': url 'https://exa mple.com/hook' is not a URL:");
        assertThatThrownBy(() -> WebhookConfig.of("/relative/hook", SECRET))
                .hasMessageContaining("must be an absolute http or https URL");
        assertThatThrownBy(() -> WebhookConfig.of(null, SECRET)).hasMessage("webhook 'webhook': the url is missing");
        assertThatThrownBy(() -> WebhookConfig.of("https://alerts.example/hook", null))
                .hasMessageStartingWith("webhook 'webhook': the signing secret is missing");
        assertThatThrownBy(() -> WebhookConfig.of("https://alerts.example/hook", " "))
                .hasMessageStartingWith("webhook 'webhook': the signing secret is missing");
        assertThatThrownBy(() -> WebhookConfig.of("https://alerts.example/hook", "short"))
                .hasMessageStartingWith("webhook 'webhook': the signing secret has 5 characters; use at least 16");
        assertThatThrownBy(() -> WebhookConfig.of("https://alerts.example/hook", SECRET)
                .withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("webhook 'webhook': connectTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> WebhookConfig.of("https://alerts.example/hook", SECRET).withName("Case Desk"))
                .hasMessageStartingWith("webhook name 'Case Desk' must be 1 to 64 lower-case letters");
    }

    @Test
    void aWebhookConfigNeverPrintsItsSecret() {
        WebhookConfig c = WebhookConfig.of("https://alerts.example/hook", SECRET);
        assertThat(c.toString()).doesNotContain(SECRET).contains("secret=(32 characters)");
        assertThat(c.url()).isEqualTo(URI.create("https://alerts.example/hook"));
    }

    @Test
    void anEmailNotifierNeedsAPortRecipientsAndAddresses() {
        List<String> to = List.of("analyst@bank.example");
        assertThatThrownBy(() -> EmailConfig.of("smtp.bank.example", 70000, "alerts@bank.example", to))
                .hasMessage("e-mail notifier 'email': port 70000 is not a TCP port (1 to 65535; SMTP is usually 25, or"
                        + " 587 with STARTTLS)");
        assertThatThrownBy(() -> EmailConfig.of("smtp.bank.example", 0, "alerts@bank.example", to))
                .hasMessageContaining("port 0 is not a TCP port");
        assertThatThrownBy(() -> EmailConfig.of("smtp.bank.example", 25, "alerts@bank.example", List.of()))
                .hasMessage("e-mail notifier 'email': the recipient list is empty; name at least one address");
        assertThatThrownBy(() -> EmailConfig.of("smtp.bank.example", 25, "alerts@bank.example", null))
                .hasMessageContaining("the recipient list is empty");
        assertThatThrownBy(() -> EmailConfig.of("smtp.bank.example", 25, "alerts@bank.example",
                List.of("analyst@bank.example", "not an address")))
                .hasMessageStartingWith("e-mail notifier 'email': recipient address 'not an address' is not an e-mail"
                        + " address");
        assertThatThrownBy(() -> EmailConfig.of("smtp.bank.example", 25, "", to))
                .hasMessage("e-mail notifier 'email': the from address is missing");
        assertThatThrownBy(() -> EmailConfig.of(" ", 25, "alerts@bank.example", to))
                .hasMessage("e-mail notifier 'email': the SMTP host is missing");
        assertThatThrownBy(() -> EmailConfig.of("smtp.bank.example", 25, "alerts@bank.example", to)
                .withAuthentication("alerts", null))
                .hasMessageContaining("give both username and password");
        assertThatThrownBy(() -> EmailConfig.of("smtp.bank.example", 25, "alerts@bank.example", to)
                .withBaseUrl("riskloop.bank.example"))
                .hasMessageContaining("baseUrl 'riskloop.bank.example' must be an absolute http or https URL");
    }

    @Test
    void anEmailConfigNeverPrintsItsPassword() {
        EmailConfig c = EmailConfig.of("smtp.bank.example", 587, "alerts@bank.example", List.of("a@bank.example"))
                .withStartTls(true).withAuthentication("alerts", "hunter2-hunter2");
        assertThat(c.toString()).doesNotContain("hunter2").contains("password=(set)");
    }

    @Test
    void retryPolicyBoundsAndWaits() {
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxAttempts(0))
                .hasMessage("retry maxAttempts must be between 1 and 100, was 0");
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("retry maxDelay (PT1S) must be at least initialDelay (PT2S)");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5), 0.5, 0))
                .hasMessageContaining("multiplier must be a number of at least 1");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5), 2, 1.5))
                .hasMessageContaining("jitter must be between 0 and 1");

        // without jitter: 1, 2, 4, 8 s, then capped at 10
        RetryPolicy exact = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0, 0.0);
        SplittableRandom random = new SplittableRandom(7);
        assertThat(List.of(1, 2, 3, 4, 5, 6).stream().map(n -> exact.delay(n, random)).toList()).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        // with jitter 0.5: within [half, whole] of the exact wait, and not always the same
        RetryPolicy jittered = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0, 0.5);
        List<Duration> third = java.util.stream.IntStream.range(0, 200).mapToObj(i -> jittered.delay(3, random)).toList();
        assertThat(third).allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4)));
        assertThat(third.stream().distinct().count()).isGreaterThan(100);
    }

    @Test
    void routingTakesReviewsAndDeclinesByName() {
        Routing r = Routing.none().review("webhook").decline("webhook", "email");
        assertThat(r.notifiersFor(DecisionType.REVIEW)).containsExactly("webhook");
        assertThat(r.notifiersFor(DecisionType.DECLINE)).containsExactly("webhook", "email");
        assertThat(r.notifiersFor(DecisionType.APPROVE)).isEmpty();
        assertThat(r.notifiers()).containsExactlyInAnyOrder("webhook", "email");
        assertThatThrownBy(() -> new Routing(Map.of(DecisionType.APPROVE, List.of("webhook"))))
                .hasMessageContaining("APPROVE decisions raise no alert");
        assertThatThrownBy(() -> Routing.none().decline("email", "email"))
                .hasMessage("the routing of DECLINE names notifier 'email' twice");
    }

    @Test
    void theDispatcherRefusesRoutingThatDoesNotMatchItsNotifiers() {
        AlertDispatcher.Options o = AlertDispatcher.Options.defaults("127.0.0.1:1");
        WebhookNotifier webhook = new WebhookNotifier(WebhookConfig.of("https://alerts.example/hook", SECRET),
                NotifyKit.CLOCK);
        assertThatThrownBy(() -> AlertDispatcher.start(o, Routing.none().decline("webhook", "emial"), List.of(webhook),
                NotifyKit.CLOCK, 1))
                .hasMessage("the routing sends DECLINE alerts to 'emial', which is not a configured notifier; the"
                        + " notifiers are [webhook]");
        assertThatThrownBy(() -> AlertDispatcher.start(o, Routing.none().review("webhook"), List.of(webhook,
                new WebhookNotifier(WebhookConfig.of("https://b.example/hook", SECRET), NotifyKit.CLOCK)),
                NotifyKit.CLOCK, 1))
                .hasMessage("two notifiers are named 'webhook'; give each its own name (withName)");
        assertThatThrownBy(() -> AlertDispatcher.start(o, Routing.none().review("webhook"), List.of(webhook,
                new WebhookNotifier(WebhookConfig.of("https://b.example/hook", SECRET).withName("cases"),
                        NotifyKit.CLOCK)), NotifyKit.CLOCK, 1))
                .hasMessage("notifier 'cases' is configured but no decision type is routed to it; route REVIEW or"
                        + " DECLINE to it, or leave it out");
        assertThatThrownBy(() -> o.withQueueCapacity(0))
                .hasMessage("queueCapacity must be between 1 and 1000000, was 0");
        assertThat(o.topics()).isEqualTo(Topics.DEFAULT);
    }
}
