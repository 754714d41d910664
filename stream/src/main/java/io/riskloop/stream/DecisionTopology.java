package io.riskloop.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.EventWindow;
import io.riskloop.core.features.FeatureGroup;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.token.CardTokenizer;
import io.riskloop.model.score.ModelHolder;
import io.riskloop.model.score.ModelInfo;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The decision pipeline as a Kafka Streams topology, built by a pure function of its inputs.
 *
 * <pre>
 * transactions (key: card) -> intake: validate, refuse duplicates, card features  --bad--> transactions.dlq
 *      -> transactions.by-terminal (key: terminal)
 *                    labels (key: terminal) -+
 *      -> decide: terminal features (labels applied in time order), score champion (+ challenger in shadow),
 *                 policy -> decisions; reviews and declines -> alerts
 * </pre>
 *
 * Card state lives with the input's partitioning; terminal state with the terminal-keyed topic, which the labels
 * topic shares, so a terminal's labels and transactions meet in one task and are applied in timestamp order, as
 * the offline replay applies them. Feature code is {@link FeatureSet}'s, the same the training replay runs.
 */
public final class DecisionTopology {

    static final String CARD_STORE = "card-state";
    static final String TERMINAL_STORE = "terminal-state";
    static final String SEEN_STORE = "seen-transactions";
    private static final String TO_DLQ = "to-dlq";
    private static final String TO_TERMINAL = "to-by-terminal";
    private static final String TO_DECISIONS = "to-decisions";
    private static final String TO_ALERTS = "to-alerts";
    private static final String TO_DLQ_2 = "to-dlq-from-decide";

    private DecisionTopology() {
    }

    /**
     * @param tokenizer tokenises {@code card_number} in incoming records (null: refuse them)
     * @param metrics   counters the processors update
     */
    public static Topology build(PipelineConfig config, ServingModels models, CardTokenizer tokenizer, Clock clock,
                                 PipelineMetrics metrics) {
        Topics t = config.topics();
        Topology top = new Topology();
        top.addSource(org.apache.kafka.streams.AutoOffsetReset.earliest(), "transactions",
                new EventTimeExtractor("timestamp"), Serdes.String().deserializer(), Serdes.String().deserializer(),
                t.transactions());
        top.addProcessor("intake", () -> new Intake(config, tokenizer, clock, metrics), "transactions");
        top.addSink(TO_DLQ, t.deadLetters(), Serdes.String().serializer(), Serdes.String().serializer(), "intake");
        top.addSink(TO_TERMINAL, t.byTerminal(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), "intake");

        // one source for both topics, so that partition i of each lands in the same task; a label's time is when
        // it became known (known_at), set by its producer as the record time, an enriched record's its event time
        top.addSource("by-terminal-and-labels", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                t.byTerminal(), t.labels());
        top.addProcessor("decide", () -> new Decide(config, models, clock, metrics), "by-terminal-and-labels");
        // decide emits strings (JSON) to decisions, alerts and the dead letters
        top.addSink(TO_DECISIONS, t.decisions(), Serdes.String().serializer(), Serdes.String().serializer(), "decide");
        top.addSink(TO_ALERTS, t.alerts(), Serdes.String().serializer(), Serdes.String().serializer(), "decide");
        top.addSink(TO_DLQ_2, t.deadLetters(), Serdes.String().serializer(), Serdes.String().serializer(), "decide");

        top.addStateStore(kv(CARD_STORE, config.persistentState()), "intake");
        top.addStateStore(seen(config), "intake");
        top.addStateStore(kv(TERMINAL_STORE, config.persistentState()), "decide");
        return top;
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> kv(String name, boolean persistent) {
        KeyValueBytesStoreSupplier s = persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
        return Stores.keyValueStoreBuilder(s, Serdes.String(), Serdes.ByteArray());
    }

    /**
     * Ids seen, in windows of one day of event time: a lookup visits one segment per day of the duplicate window.
     * (With a window per record, a lookup walked every record's window: 2.6 ms per transaction on the book run.)
     */
    private static StoreBuilder<WindowStore<String, Long>> seen(PipelineConfig c) {
        Duration retention = c.dedupWindow().multipliedBy(2).plus(SEEN_WINDOW);
        WindowBytesStoreSupplier s = c.persistentState()
                ? Stores.persistentWindowStore(SEEN_STORE, retention, SEEN_WINDOW, false)
                : Stores.inMemoryWindowStore(SEEN_STORE, retention, SEEN_WINDOW, false);
        return Stores.windowStoreBuilder(s, Serdes.String(), Serdes.Long());
    }

    static final Duration SEEN_WINDOW = Duration.ofDays(1);

    static long seenWindowStart(long t) {
        return Math.floorDiv(t, SEEN_WINDOW.toMillis()) * SEEN_WINDOW.toMillis();
    }

    /** The groups of a feature set that one stage computes, with their offsets in the feature vector. */
    private static int[] groupsOf(FeatureSet set, boolean terminalStage) {
        List<FeatureGroup<?>> groups = set.groups();
        return java.util.stream.IntStream.range(0, groups.size())
                .filter(i -> (groups.get(i).entity() == FeatureGroup.Entity.TERMINAL) == terminalStage)
                .toArray();
    }

    @SuppressWarnings("unchecked")
    private static void apply(FeatureGroup<?> g, Object state, Transaction tx, double[] out, int offset) {
        ((FeatureGroup<Object>) g).apply(state, tx, out, offset);
    }

    private static String dlq(ProcessorContext<String, ?> ctx, String field, String reason, String raw,
                              Clock clock) {
        RecordMetadata m = ctx.recordMetadata().orElse(null);
        return Records.deadLetter(field, reason, raw, m == null ? "?" : m.topic(), m == null ? -1 : m.partition(),
                m == null ? -1 : m.offset(), clock.instant());
    }

    /** Validates, refuses duplicates, computes the stateless and card features, and re-keys by terminal. */
    static final class Intake implements Processor<String, String, String, Object> {
        private final PipelineConfig config;
        private final TransactionJson reader;
        private final Clock clock;
        private final PipelineMetrics metrics;
        private final int[] groups;
        private final int[] offsets;
        private ProcessorContext<String, Object> ctx;
        private KeyValueStore<String, byte[]> cards;
        private WindowStore<String, Long> seen;

        Intake(PipelineConfig config, CardTokenizer tokenizer, Clock clock, PipelineMetrics metrics) {
            this.config = config;
            this.reader = new TransactionJson(tokenizer);
            this.clock = clock;
            this.metrics = metrics;
            this.groups = groupsOf(config.featureSet(), false);
            this.offsets = config.featureSet().offsets();
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.ctx = context;
            this.cards = context.getStateStore(CARD_STORE);
            this.seen = context.getStateStore(SEEN_STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            metrics.countReceived();
            TransactionJson.Result result = reader.read(record.value());
            if (result instanceof TransactionJson.Rejected r) {
                reject(record, r.field(), r.reason(), r.raw());
                return;
            }
            Transaction tx = ((TransactionJson.Accepted) result).transaction();
            long t = tx.timestamp().toEpochMilli();
            long window = config.dedupWindow().toMillis();
            long streamTime = ctx.currentStreamTimeMs();
            if (t < streamTime - window) {
                // the ids seen that long ago are no longer kept: it could be a duplicate nobody can rule out
                reject(record, "timestamp", "event time " + tx.timestamp() + " is more than " + config.dedupWindow()
                        + " behind the stream (at " + Instant.ofEpochMilli(streamTime) + "): too late to rule out a"
                        + " duplicate", TransactionJson.write(tx));
                return;
            }
            try (WindowStoreIterator<Long> it = seen.fetch(tx.id(), seenWindowStart(t - window),
                    seenWindowStart(t + window))) {
                if (it.hasNext()) {
                    reject(record, "transaction_id", "duplicate transaction id '" + tx.id() + "' (first seen with"
                            + " event time " + Instant.ofEpochMilli(it.next().value) + ")", TransactionJson.write(tx));
                    return;
                }
            }
            seen.put(tx.id(), t, seenWindowStart(t));
            FeatureSet set = config.featureSet();
            double[] features = new double[set.size()];
            Arrays.fill(features, Double.NaN);
            for (int gi : groups) {
                FeatureGroup<?> g = set.groups().get(gi);
                if (g.entity() == FeatureGroup.Entity.NONE) {
                    apply(g, null, tx, features, offsets[gi]);
                } else {
                    String key = g.key(tx);
                    EventWindow w = EventWindow.fromBytes(cards.get(gi + ":" + key));
                    apply(g, w, tx, features, offsets[gi]);
                    cards.put(gi + ":" + key, w.toBytes());
                }
            }
            ctx.forward(new Record<>(tx.terminalId(), Enriched.write(tx, features), t), TO_TERMINAL);
        }

        private void reject(Record<String, String> record, String field, String reason, String raw) {
            metrics.deadLettered(field);
            ctx.forward(new Record<>(record.key(), dlq(ctx, field, reason, raw, clock), record.timestamp()), TO_DLQ);
        }
    }

    /** Applies labels, computes terminal features, scores, decides, and emits decisions and alerts. */
    static final class Decide implements Processor<String, byte[], String, String> {
        private final PipelineConfig config;
        private final ServingModels models;
        private final Clock clock;
        private final PipelineMetrics metrics;
        private final int[] groups;
        private final int[] offsets;
        private final float[] row;
        private final double[] score = new double[1];
        private ProcessorContext<String, String> ctx;
        private KeyValueStore<String, byte[]> terminals;

        Decide(PipelineConfig config, ServingModels models, Clock clock, PipelineMetrics metrics) {
            this.config = config;
            this.models = models;
            this.clock = clock;
            this.metrics = metrics;
            this.groups = groupsOf(config.featureSet(), true);
            this.offsets = config.featureSet().offsets();
            this.row = new float[config.featureSet().size()];
        }

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.ctx = context;
            this.terminals = context.getStateStore(TERMINAL_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String topic = ctx.recordMetadata().map(RecordMetadata::topic).orElse("");
            if (topic.equals(config.topics().labels())) {
                label(record);
            } else {
                decide(record);
            }
        }

        private void label(Record<String, byte[]> record) {
            Records.Label l;
            String value = record.value() == null ? null : new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
            try {
                l = Records.readLabel(value);
            } catch (IllegalArgumentException e) {
                metrics.deadLettered("label");
                ctx.forward(new Record<>(record.key(), dlq(ctx, "(record)", e.getMessage(), String.valueOf(value),
                        clock), record.timestamp()), TO_DLQ_2);
                return;
            }
            FeatureSet set = config.featureSet();
            for (int gi : groups) {
                FeatureGroup<?> g = set.groups().get(gi);
                String key = g.key(l.event());
                if (key == null) {
                    continue;
                }
                byte[] bytes = terminals.get(gi + ":" + key);
                if (bytes != null) {
                    EventWindow w = EventWindow.fromBytes(bytes);
                    if (w.label(l.event().transactionTime().toEpochMilli(), EventWindow.hashId(l.event().transactionId()),
                            l.event().fraud())) {
                        terminals.put(gi + ":" + key, w.toBytes());
                    }
                }
            }
            metrics.labelApplied();
        }

        private void decide(Record<String, byte[]> record) {
            long started = System.nanoTime();
            Enriched e = Enriched.read(record.value());
            Transaction tx = e.transaction();
            double[] features = e.features();
            FeatureSet set = config.featureSet();
            for (int gi : groups) {
                FeatureGroup<?> g = set.groups().get(gi);
                String key = g.key(tx);
                EventWindow w = EventWindow.fromBytes(terminals.get(gi + ":" + key));
                apply(g, w, tx, features, offsets[gi]);
                terminals.put(gi + ":" + key, w.toBytes());
            }
            for (int i = 0; i < features.length; i++) {
                row[i] = (float) features[i];
            }
            ModelInfo champion = models.champion().scoreBatch(row, 1, score);
            double p = score[0];
            Double challengerScore = null;
            String challengerVersion = null;
            ModelInfo ci = null;
            ModelHolder challenger = models.challenger();
            if (challenger != null) {
                ci = challenger.scoreBatch(row, 1, score);
                challengerScore = score[0];
                challengerVersion = ci.version();
            }
            metrics.serving(champion, ci);
            String deciding = champion.version();
            if (ci != null && config.challengerArm(tx.cardId())) {
                // A/B: the challenger decides for this card; the champion's score is kept beside it
                double championScore = p;
                p = challengerScore;
                challengerScore = championScore;
                challengerVersion = deciding;
                deciding = ci.version();
            }
            DecisionPolicy.Outcome outcome = config.policy().decide(tx, p);
            Decision d = new Decision(tx, features, set.names(), p, outcome.decision(), outcome.reasons(),
                    deciding, challengerScore, challengerVersion, clock.instant());
            ctx.forward(new Record<>(tx.id(), Records.decision(d), record.timestamp()), TO_DECISIONS);
            if (d.alerts()) {
                ctx.forward(new Record<>(tx.cardId(), Records.alert(d), record.timestamp()), TO_ALERTS);
            }
            metrics.decided(d.decision(), p, tx.timestamp(), System.nanoTime() - started);
        }
    }

    /**
     * A transaction with its first-stage features, on the terminal-keyed topic: riskloop's own record, so a compact
     * binary form (versioned) rather than JSON, which took a tenth of the stream thread.
     */
    record Enriched(Transaction transaction, double[] features) {

        private static final byte FORMAT = 1;

        static byte[] write(Transaction tx, double[] features) {
            try {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);
                java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
                out.writeByte(FORMAT);
                out.writeUTF(tx.id());
                out.writeLong(tx.timestamp().getEpochSecond());
                out.writeInt(tx.timestamp().getNano());
                out.writeUTF(tx.cardId());
                out.writeUTF(tx.terminalId());
                out.writeDouble(tx.amount());
                out.writeShort(tx.attributes().size());
                for (var a : tx.attributes().entrySet()) {
                    out.writeUTF(a.getKey());
                    out.writeUTF(a.getValue());
                }
                out.writeShort(features.length);
                for (double f : features) {
                    out.writeDouble(f);
                }
                return bytes.toByteArray();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        static Enriched read(byte[] data) {
            try {
                java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(data));
                byte format = in.readByte();
                if (format != FORMAT) {
                    throw new IllegalStateException("an enriched record of format " + format + "; this riskloop reads "
                            + FORMAT);
                }
                String id = in.readUTF();
                Instant t = Instant.ofEpochSecond(in.readLong(), in.readInt());
                String card = in.readUTF();
                String terminal = in.readUTF();
                double amount = in.readDouble();
                int n = in.readShort();
                java.util.Map<String, String> attributes = n == 0 ? java.util.Map.of() : new java.util.HashMap<>();
                for (int i = 0; i < n; i++) {
                    attributes.put(in.readUTF(), in.readUTF());
                }
                double[] features = new double[in.readShort()];
                for (int i = 0; i < features.length; i++) {
                    features[i] = in.readDouble();
                }
                return new Enriched(new Transaction(id, t, card, terminal, amount, attributes), features);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("an enriched record is damaged: " + e.getMessage(), e);
            }
        }
    }
}
