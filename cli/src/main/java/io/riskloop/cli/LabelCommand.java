package io.riskloop.cli;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.decisions.NoSuchTransactionException;
import io.riskloop.stream.Topics;
import io.riskloop.stream.labels.Labeler;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

@Command(name = "label", mixinStandardHelpOptions = true,
        description = {"Records true labels: one transaction's, or a chargeback file's. Each label is kept in the"
                + " transaction's history (nothing is overwritten silently), becomes its current label, and is published"
                + " on the labels topic for the pipeline's label-aware features.",
                "A chargeback file is CSV with a header: transaction_id, and optionally fraud (1/0, default 1) and"
                        + " known_at (ISO-8601, default now)."})
final class LabelCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final class Target {
        @Parameters(index = "0", arity = "0..1", paramLabel = "TRANSACTION_ID", description = "The transaction to label.")
        String transactionId;

        @Option(names = "--chargebacks", description = "A chargeback CSV file to import.")
        Path chargebacks;
    }

    @ArgGroup(multiplicity = "1")
    Target target;

    @Option(names = "--genuine", description = "Label the transaction legitimate; without it, it is labelled fraud.")
    boolean genuine;

    @Option(names = "--comment", description = "Why.")
    String comment;

    @Option(names = "--kafka", required = true, description = "Bootstrap servers of the pipeline's Kafka.")
    String kafka;

    @Mixin
    StoreOptions store;

    @Mixin
    ActorOption actor;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter out = spec.commandLine().getOut();
        try (StoreOptions.OpenRegistry open = store.open(); KafkaProducer<String, String> producer = producer()) {
            Labeler labeler = new Labeler(new DecisionStore(open.registry().database(), Clock.systemUTC()), producer,
                    Topics.DEFAULT, Clock.systemUTC());
            if (target.transactionId != null) {
                var l = labeler.label(target.transactionId, !genuine, "analyst", actor.actor(), comment, null);
                out.println("labelled " + l.transactionId() + (l.fraud() ? " fraud" : " genuine") + " (label " + l.id()
                        + ", by " + l.author() + ")");
                return 0;
            }
            return importFile(labeler, out);
        }
    }

    private int importFile(Labeler labeler, java.io.PrintWriter out) throws IOException {
        Path file = target.chargebacks;
        int done = 0;
        int bad = 0;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().allowMissingFields(true).allowExtraFields(true)
                .ofCsvRecord(file)) {
            Iterator<CsvRecord> it = csv.iterator();
            if (!it.hasNext()) {
                throw new IllegalArgumentException(file + " is empty: expected a header with transaction_id");
            }
            List<String> header = it.next().getFields().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            int id = header.indexOf("transaction_id");
            if (id < 0) {
                throw new IllegalArgumentException(file + ":1: no transaction_id column; the header has " + header);
            }
            int fraudCol = header.indexOf("fraud");
            int knownCol = header.indexOf("known_at");
            while (it.hasNext()) {
                CsvRecord r = it.next();
                long line = r.getStartingLineNumber();
                try {
                    String tx = field(r, id);
                    if (tx.isEmpty()) {
                        throw new IllegalArgumentException("column 'transaction_id': empty");
                    }
                    boolean isFraud = fraudCol < 0 || field(r, fraudCol).isEmpty() || switch (field(r, fraudCol)) {
                        case "1", "true" -> true;
                        case "0", "false" -> false;
                        default -> throw new IllegalArgumentException("column 'fraud': '" + field(r, fraudCol)
                                + "' is not 1 or 0");
                    };
                    Instant known = null;
                    if (knownCol >= 0 && !field(r, knownCol).isEmpty()) {
                        try {
                            known = Instant.parse(field(r, knownCol));
                        } catch (DateTimeParseException e) {
                            throw new IllegalArgumentException("column 'known_at': '" + field(r, knownCol)
                                    + "' is not an ISO-8601 instant");
                        }
                    }
                    labeler.label(tx, isFraud, "chargeback", actor.actor(), "chargeback file " + file.getFileName(),
                            known);
                    done++;
                } catch (IllegalArgumentException | NoSuchTransactionException e) {
                    bad++;
                    spec.commandLine().getErr().println(file + ":" + line + ": " + e.getMessage());
                }
            }
        }
        out.printf("labelled %,d transactions from %s; %,d rows refused (listed above)%n", done, file, bad);
        return bad == 0 ? 0 : Errors.USER_ERROR;
    }

    private static String field(CsvRecord r, int i) {
        return i < r.getFieldCount() ? r.getField(i).strip() : "";
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
