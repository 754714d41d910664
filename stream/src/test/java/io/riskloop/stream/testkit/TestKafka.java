package io.riskloop.stream.testkit;

import io.riskloop.stream.Topics;
import io.riskloop.stream.broker.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real Kafka broker (KRaft, in this JVM) for one test class, started before its {@code @BeforeAll} methods and
 * stopped, with its log directory removed, after the class. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestKafka KAFKA = new TestKafka();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 *
 * A broker per class, unlike {@code TestPostgres}'s server per JVM: the classes' consumer groups, transactional ids
 * and topics would otherwise meet on one broker.
 */
public final class TestKafka implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("riskloop-test-kafka-");
        kafka = EmbeddedKafka.start(dir, 0);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (kafka != null) {
            kafka.close();
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(TestKafka::delete);
            }
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        if (kafka == null) {
            throw new IllegalStateException("TestKafka is not started: register it with @RegisterExtension on a"
                    + " static field");
        }
        return kafka.bootstrapServers();
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates riskloop's topics with {@code partitions} partitions each and waits until they have leaders. */
    public void createTopics(int partitions) {
        try (Admin admin = admin()) {
            Topics.DEFAULT.create(admin, partitions, (short) 1);
        }
    }

    /**
     * An idempotent producer of strings. Create it once the topics it writes to exist ({@link #createTopics}):
     * on a fresh single broker, an idempotent producer that met a topic without a leader was seen stuck on
     * OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    public KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
