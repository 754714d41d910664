package io.riskloop.cli;

import io.riskloop.core.domain.Transaction;
import io.riskloop.core.simulate.DriftConfig;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;
import io.riskloop.stream.Topics;
import io.riskloop.stream.TransactionJson;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small simulated world (200 customers, 400 terminals) for the CLI's tests against a broker and a database: its
 * CSV written by {@code riskloop simulate}, a champion trained on it by {@code riskloop train}, and its transactions
 * sent to the broker as a payment gateway would.
 */
record SmallWorld(SimulationConfig config) {

    static SmallWorld of(int days, long seed) {
        return new SmallWorld(new SimulationConfig(200, 400, days, LocalDate.of(2018, 4, 1), 20, seed, DriftConfig.NONE));
    }

    /** Writes the world with {@code riskloop simulate} to {@code dir/world.csv}. */
    Path simulate(Path dir) {
        Path csv = dir.resolve("world.csv");
        CliTest.Result r = CliTest.run("simulate", "--customers", Integer.toString(config.customers()),
                "--terminals", Integer.toString(config.terminals()), "--days", Integer.toString(config.days()),
                "--radius", Double.toString(config.radius()), "--seed", Long.toString(config.seed()),
                "--out", csv.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return csv;
    }

    /**
     * Trains on 14 days from {@code trainStart} (labels known at once, 3 test days) with {@code riskloop train} and
     * points the {@code champion} alias of model {@code fraud} at it.
     */
    void trainChampion(Path csv, LocalDate trainStart, String jdbcUrl, Path dataDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", csv.toString(), "--train-start",
                trainStart.toString(), "--train-days", "14", "--delay-days", "0", "--test-days", "3",
                "--alias", "champion", "--out", dataDir.resolve("model").toString(), "--db", jdbcUrl,
                "--data-dir", dataDir.toString()));
        args.addAll(List.of(extra));
        CliTest.Result r = CliTest.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
    }

    /** The world's first {@code n} transactions, in time order. */
    List<Transaction> transactions(int n) {
        List<Transaction> first = new ArrayList<>(n);
        new Simulator(config).run(t -> {
            if (first.size() < n) {
                first.add(t.toLabeled().transaction());
            }
        }, Simulator.Progress.NONE);
        assertThat(first).as("transactions in the world").hasSize(n);
        return first;
    }

    /** Sends the transactions to the transactions topic, keyed by card, stamped with their time, and flushes. */
    static void send(KafkaProducer<String, String> producer, Collection<Transaction> transactions) {
        for (Transaction tx : transactions) {
            producer.send(new ProducerRecord<>(Topics.DEFAULT.transactions(), null, tx.timestamp().toEpochMilli(),
                    tx.cardId(), TransactionJson.write(tx)));
        }
        producer.flush();
    }
}
