package io.riskloop.stream.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) running in this JVM, from the Kafka server
 * artifacts on Maven Central: the demo's and the tests' broker. Its log directory survives a restart, so a second
 * demo run resumes with its data. Single node: replication factor 1 everywhere, transactions included.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrap;
    private final Path dir;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrap, Path dir) {
        this.server = server;
        this.bootstrap = bootstrap;
        this.dir = dir;
    }

    /**
     * Starts a broker storing its logs in {@code dir} (formatted on first use).
     *
     * @param port the client port, or 0 for a free one
     */
    public static EmbeddedKafka start(Path dir, int port) {
        try {
            Files.createDirectories(dir);
            int clientPort = port > 0 ? port : freePort();
            int controllerPort = freePort();
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", dir.toAbsolutePath().toString());
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "4");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "4");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "false");
            p.put("num.partitions", "4");
            p.put("log.retention.hours", "-1");
            p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE)); // the OS page cache is durable enough here
            KafkaConfig config = KafkaConfig.fromProps(p, false);
            if (!Files.exists(dir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(java.io.OutputStream.nullOutputStream()))
                        .setNodeId(1)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setDirectories(List.of(dir.toAbsolutePath().toString()))
                        .setMetadataLogDirectory(dir.toAbsolutePath().toString())
                        .setReleaseVersion(MetadataVersion.latestProduction())
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setControllerListenerName("CONTROLLER")
                        .setIgnoreFormatted(true)
                        .run();
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return new EmbeddedKafka(server, "127.0.0.1:" + clientPort, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker in " + dir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker in " + dir + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public Path directory() {
        return dir;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
