package io.riskloop.stream.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.stream.Topics;
import io.riskloop.stream.notify.AlertDeadLetter.Cause;
import io.riskloop.stream.testkit.TestKafka;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static io.riskloop.stream.notify.NotifyKit.CARD;
import static io.riskloop.stream.notify.NotifyKit.CLOCK;
import static io.riskloop.stream.notify.NotifyKit.QUICK;
import static io.riskloop.stream.notify.NotifyKit.SECRET;
import static io.riskloop.stream.notify.NotifyKit.alertJson;
import static io.riskloop.stream.notify.NotifyKit.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher end to end on a real broker: alerts produced to {@code alerts} reach a real HTTP server and a real
 * SMTP server by their routing; failures end in {@code alerts.dlq}; offsets are committed only behind alerts every
 * notifier is through with.
 */
class AlertDispatcherTest {

    @RegisterExtension
    static final TestKafka KAFKA = new TestKafka();

    static Admin admin;
    /**
     * A producer per test, made once its topics have leaders: one producer kept across the tests' new topics was
     * seen stuck retrying OUT_OF_ORDER_SEQUENCE_NUMBER on a fresh topic of the single broker.
     */
    KafkaProducer<String, String> producer;

    Topics topics;
    String group;
    GreenMail smtp;

    @BeforeAll
    static void startBroker() {
        admin = KAFKA.admin();
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
    }

    @BeforeEach
    void startSmtp(TestInfo test) {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        String name = test.getTestMethod().orElseThrow().getName();
        topics = Topics.withPrefix(name + ".");
        group = "notifiers-" + name;
    }

    @AfterEach
    void stopSmtpAndProducer() {
        smtp.stop();
        if (producer != null) {
            producer.close();
        }
    }

    AlertDispatcher.Options options(int partitions) {
        topics.create(admin, partitions, (short) 1);
        producer = KAFKA.producer();
        return AlertDispatcher.Options.defaults(KAFKA.bootstrapServers()).withTopics(topics).withGroupId(group);
    }

    WebhookNotifier webhook(WebhookReceiver server, RetryPolicy retry) {
        return new WebhookNotifier(new WebhookConfig("webhook", server.url(), SECRET, Duration.ofSeconds(5),
                Duration.ofSeconds(30), retry), CLOCK);
    }

    EmailNotifier email(int port, RetryPolicy retry) {
        return new EmailNotifier(EmailConfig.of("127.0.0.1", port, "alerts@riskloop.example",
                List.of("fraud-desk@bank.example")).withRetry(retry), CLOCK);
    }

    /** Produces alerts as the pipeline writes them (key: card token); returns their JSON in order. */
    List<String> produce(DecisionType type, int n, String prefix) {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String json = alertJson(prefix + i, type, type == DecisionType.DECLINE ? 0.95 : 0.7, 10 + i);
            producer.send(new ProducerRecord<>(topics.alerts(), CARD + (i % 3), json));
            sent.add(json);
        }
        producer.flush();
        return sent;
    }

    List<String> subjects() {
        return Arrays.stream(smtp.getReceivedMessages()).map(m -> {
            try {
                return m.getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Reads {@code alerts.dlq} from the start until {@code n} records came or a minute passed. */
    List<ConsumerRecord<String, String>> deadLetters(int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-check-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topics.alertDeadLetters()));
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < n && System.nanoTime() - end < 0) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // a little longer, to see any record beyond those expected
            for (int i = 0; i < 3; i++) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The group's committed offsets on {@code alerts}, by partition (absent: none committed). */
    Map<Integer, Long> committed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<Integer, Long> out = new HashMap<>();
            m.forEach((tp, o) -> {
                if (o != null && tp.topic().equals(topics.alerts())) {
                    out.put(tp.partition(), o.offset());
                }
            });
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Map<Integer, Long> endOffsets(int partitions) {
        try {
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            for (int i = 0; i < partitions; i++) {
                q.put(new TopicPartition(topics.alerts(), i), OffsetSpec.latest());
            }
            return admin.listOffsets(q).all().get().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void awaitAllCommitted(int partitions) throws InterruptedException {
        Map<Integer, Long> end = endOffsets(partitions);
        await("offsets committed up to the end " + end, () -> committed().equals(end), this::committed);
    }

    @Test
    void deliversByRoutingAndCommitsBehindWhatIsDone() throws Exception {
        AlertDispatcher.Options o = options(2);
        List<String> reviews = produce(DecisionType.REVIEW, 6, "rev-");
        List<String> declines = produce(DecisionType.DECLINE, 6, "dec-");
        producer.send(new ProducerRecord<>(topics.alerts(), "tok_x", "{\"transaction_id\":\"half an alert\"}")).get();
        try (WebhookReceiver server = WebhookReceiver.always(200);
             AlertDispatcher d = AlertDispatcher.start(o, Routing.none().review("webhook").decline("webhook", "email"),
                     List.of(webhook(server, QUICK), email(smtp.getSmtp().getPort(), QUICK)), CLOCK, 42)) {

            await("12 webhook posts and 6 e-mails", () -> server.requests().size() >= 12
                    && smtp.getReceivedMessages().length >= 6, () -> server.requests().size() + " posts, "
                    + smtp.getReceivedMessages().length + " e-mails");
            awaitAllCommitted(2);

            List<String> all = new ArrayList<>(reviews);
            all.addAll(declines);
            assertThat(server.requests()).extracting(WebhookReceiver.Request::bodyText)
                    .containsExactlyInAnyOrderElementsOf(all);
            assertThat(server.requests()).allSatisfy(r ->
                    assertThat(NotifyKit.verify(SECRET, r.body(), r.header("X-Riskloop-Signature"))).isTrue());
            // e-mail only for declines
            assertThat(subjects()).hasSize(6).allMatch(s -> s.startsWith("[riskloop] DECLINE 0.95 card "));
            assertThat(Arrays.stream(smtp.getReceivedMessages()).map(this::deliveryId).collect(Collectors.toSet()))
                    .isEqualTo(declines.stream().map(j -> Alert.read(j).deliveryId("email")).collect(Collectors.toSet()));
            assertThat(d.metrics().delivered("webhook")).isEqualTo(12);
            assertThat(d.metrics().delivered("email")).isEqualTo(6);
            assertThat(d.metrics().deadLettered("webhook") + d.metrics().deadLettered("email")).isZero();
            assertThat(d.metrics().received()).isEqualTo(13);
            assertThat(d.metrics().unreadable()).isEqualTo(1);
        }
        // the record that was not an alert is in the dead-letter topic with why, and only it
        List<ConsumerRecord<String, String>> dead = deadLetters(1);
        assertThat(dead).hasSize(1);
        AlertDeadLetter letter = AlertDeadLetter.read(dead.getFirst().value());
        assertThat(letter.cause()).isEqualTo(Cause.UNREADABLE);
        assertThat(letter.reason()).isEqualTo("not an alert record: field 'timestamp' is missing");
        assertThat(letter.record()).isEqualTo("{\"transaction_id\":\"half an alert\"}");
        assertThat(dead.getFirst().key()).isEqualTo("tok_x");
    }

    private String deliveryId(MimeMessage m) {
        try {
            return m.getHeader("X-Riskloop-Delivery")[0];
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWebhookThatAlwaysFailsDeadLettersEachAlertAfterNAttemptsAndEmailGoesOn() throws Exception {
        AlertDispatcher.Options o = options(2);
        List<String> declines = produce(DecisionType.DECLINE, 5, "dec-");
        try (WebhookReceiver server = WebhookReceiver.always(503);
             AlertDispatcher d = AlertDispatcher.start(o, Routing.none().decline("webhook", "email"),
                     List.of(webhook(server, QUICK), email(smtp.getSmtp().getPort(), QUICK)), CLOCK, 42)) {

            await("5 e-mails and 5 webhook dead letters", () -> smtp.getReceivedMessages().length >= 5
                    && d.metrics().deadLettered("webhook") >= 5, () -> smtp.getReceivedMessages().length
                    + " e-mails, " + d.metrics().deadLettered("webhook") + " dead letters");
            awaitAllCommitted(2);
            assertThat(server.requests()).hasSize(5 * QUICK.maxAttempts());
            assertThat(d.metrics().retried("webhook")).isEqualTo(5 * (QUICK.maxAttempts() - 1));
            assertThat(d.metrics().delivered("email")).isEqualTo(5);
        }
        List<ConsumerRecord<String, String>> dead = deadLetters(5);
        assertThat(dead).hasSize(5);
        List<AlertDeadLetter> letters = dead.stream().map(r -> AlertDeadLetter.read(r.value())).toList();
        assertThat(letters).extracting(AlertDeadLetter::record).containsExactlyInAnyOrderElementsOf(declines);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.notifier()).isEqualTo("webhook");
            assertThat(l.cause()).isEqualTo(Cause.RETRIES_EXHAUSTED);
            assertThat(l.attempts()).isEqualTo(QUICK.maxAttempts());
            assertThat(l.lastStatus()).isEqualTo(503);
            assertThat(l.reason()).startsWith("gave up after 3 attempts; the last: HTTP 503 from " + "http://127.0.0.1:");
            assertThat(l.deliveryId()).isEqualTo(Alert.read(l.record()).deliveryId("webhook"));
            assertThat(l.sourceTopic()).isEqualTo(topics.alerts());
        });
        assertThat(dead).extracting(ConsumerRecord::key).allMatch(k -> k.startsWith(CARD));
    }

    @Test
    void anSmtpServerThatIsDownDeadLettersAfterRetriesAndTheWebhookGoesOn() throws Exception {
        AlertDispatcher.Options o = options(1);
        int down = NotifyKit.closedPort();
        List<String> declines = produce(DecisionType.DECLINE, 3, "dec-");
        RetryPolicy twice = QUICK.withMaxAttempts(2);
        try (WebhookReceiver server = WebhookReceiver.always(200);
             AlertDispatcher d = AlertDispatcher.start(o, Routing.none().decline("webhook", "email"),
                     List.of(webhook(server, QUICK), email(down, twice)), CLOCK, 42)) {

            await("3 webhook posts and 3 e-mail dead letters", () -> server.requests().size() >= 3
                    && d.metrics().deadLettered("email") >= 3, () -> server.requests().size() + " posts, "
                    + d.metrics().deadLettered("email") + " dead letters");
            awaitAllCommitted(1);
            assertThat(d.metrics().delivered("webhook")).isEqualTo(3);
        }
        List<AlertDeadLetter> letters = deadLetters(3).stream().map(r -> AlertDeadLetter.read(r.value())).toList();
        assertThat(letters).hasSize(3);
        assertThat(letters).extracting(AlertDeadLetter::record).containsExactlyElementsOf(declines);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.notifier()).isEqualTo("email");
            assertThat(l.cause()).isEqualTo(Cause.RETRIES_EXHAUSTED);
            assertThat(l.attempts()).isEqualTo(2);
            assertThat(l.lastStatus()).isNull();
            assertThat(l.lastError()).startsWith("SMTP 127.0.0.1:" + down + ": ");
        });
    }

    @Test
    void aHungNotifierPausesConsumptionWithoutHoldingBackTheOtherAndNothingIsCommittedPastIt() throws Exception {
        AlertDispatcher.Options o = options(1).withQueueCapacity(2);
        produce(DecisionType.DECLINE, 20, "dec-");
        try (WebhookReceiver server = new WebhookReceiver((n, x) -> {
            if (n == 1) {
                // the first request hangs until the test lets it go
                x.getRequestBody().close();
                hold();
            }
            return 200;
        });
             AlertDispatcher d = AlertDispatcher.start(o, Routing.none().decline("webhook", "email"),
                     List.of(webhook(server, QUICK), email(smtp.getSmtp().getPort(), QUICK)), CLOCK, 42)) {
            held = server;

            // the webhook holds one alert and its queue two; the consumer pauses; e-mail delivers all it was given
            int capacity = o.queueCapacity();
            await("back-pressure and e-mail going on", () -> d.metrics().backPressurePauses() >= 1
                    && d.metrics().delivered("email") >= capacity + 2, () -> d.metrics().backPressurePauses()
                    + " pauses, " + d.metrics().delivered("email") + " e-mails");
            assertThat(server.requests()).hasSize(1);
            assertThat(d.metrics().delivered("webhook")).isZero();
            // nothing is committed past the alert the webhook holds
            assertThat(committed().getOrDefault(0, 0L)).isZero();

            server.release();
            await("all 20 through both notifiers", () -> d.metrics().delivered("webhook") == 20
                    && d.metrics().delivered("email") == 20, () -> d.metrics().delivered("webhook") + " posts, "
                    + d.metrics().delivered("email") + " e-mails");
            awaitAllCommitted(1);
            assertThat(server.requests()).hasSize(20);
            assertThat(smtp.getReceivedMessages()).hasSize(20);
        }
        assertThat(deadLetters(0)).isEmpty();
    }

    private volatile WebhookReceiver held;

    private void hold() throws InterruptedException {
        while (held == null) {
            Thread.sleep(5);
        }
        held.holdUntilReleased();
    }

    @Test
    void closeDeadLettersWhatTheNotifiersStillHoldAndCommitsAll() throws Exception {
        AlertDispatcher.Options o = options(1).withQueueCapacity(2).withShutdownGrace(Duration.ZERO);
        List<String> declines = produce(DecisionType.DECLINE, 10, "dec-");
        AlertDispatcher d;
        try (WebhookReceiver server = new WebhookReceiver((n, x) -> {
            hold();
            return 200;
        })) {
            held = server;
            // a receiver that never answers, a timeout of a second, and retries for longer than the test
            WebhookNotifier slow = new WebhookNotifier(new WebhookConfig("webhook", server.url(), SECRET,
                    Duration.ofSeconds(5), Duration.ofSeconds(1), QUICK.withMaxAttempts(100)), CLOCK);
            d = AlertDispatcher.start(o, Routing.none().decline("webhook"), List.of(slow), CLOCK, 42);
            await("the webhook holding an alert and the consumer paused", () -> server.requests().size() >= 1
                    && d.metrics().backPressurePauses() >= 1, () -> server.requests().size() + " requests");

            d.close();

            assertThat(d.isRunning()).isFalse();
            assertThat(d.failure()).isEmpty();
            assertThat(d.metrics().deadLettered("webhook")).isEqualTo(10);
            assertThat(d.metrics().delivered("webhook")).isZero();
        }
        assertThat(committed()).isEqualTo(Map.of(0, 10L));
        List<AlertDeadLetter> letters = deadLetters(10).stream().map(r -> AlertDeadLetter.read(r.value())).toList();
        assertThat(letters).hasSize(10);
        assertThat(letters).extracting(AlertDeadLetter::record).containsExactlyInAnyOrderElementsOf(declines);
        assertThat(letters).allSatisfy(l -> assertThat(l.cause()).isEqualTo(Cause.SHUTDOWN));
        AlertDeadLetter first = letters.stream().filter(l -> l.offset() == 0).findFirst().orElseThrow();
        assertThat(first.attempts()).isGreaterThanOrEqualTo(1);
        assertThat(first.reason()).startsWith("shut down while retrying, after ");
        assertThat(first.lastError()).contains("within the timeout");
        assertThat(letters.stream().filter(l -> l.offset() > 0).map(AlertDeadLetter::attempts).collect(Collectors.toSet()))
                .isEqualTo(Set.of(0));
    }
}
