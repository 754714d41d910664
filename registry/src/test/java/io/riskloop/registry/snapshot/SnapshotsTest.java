package io.riskloop.registry.snapshot;

import io.riskloop.core.dataset.BadRowPolicy;
import io.riskloop.core.dataset.Dataset;
import io.riskloop.core.dataset.DatasetReader;
import io.riskloop.core.dataset.NativeCsvWriter;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;
import io.riskloop.registry.Registry;
import io.riskloop.registry.RegistryException;
import io.riskloop.core.testkit.TestClock;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dataset snapshots on a real PostgreSQL: identity by content, figures, origins. */
class SnapshotsTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static final SimulationConfig SMALL = SimulationConfig.book().withCustomers(60).withTerminals(120).withDays(12)
            .withStartDate(LocalDate.of(2018, 4, 1)).withSeed(3);
    static Snapshots snapshots;

    @BeforeAll
    static void open() {
        snapshots = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")),
                new TestClock(Instant.parse("2024-05-01T10:00:00Z"))).snapshots();
    }

    static Path simulate(Path file, SimulationConfig config) {
        try (NativeCsvWriter w = new NativeCsvWriter(file)) {
            new Simulator(config).run(tx -> w.writeRow(tx.id(), tx.epochSecond(), tx.customer(), tx.terminal(),
                    tx.amountCents(), tx.scenario()), Simulator.Progress.NONE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    @Test
    void theSameDataGiveTheSameSnapshotWhateverTheirFileOrOrigin() throws Exception {
        Path csv = simulate(dir.resolve("sim.csv"), SMALL);
        Dataset d = new DatasetReader(BadRowPolicy.FAIL, null).read(csv, null);
        SnapshotOrigin origin = new SnapshotOrigin.Simulator(SMALL, csv.toString(), d.sha256());
        DatasetSnapshot s = snapshots.register(d, origin);
        assertThat(s.rows()).isEqualTo(d.size());
        assertThat(s.frauds()).isEqualTo(d.frauds());
        assertThat(s.genuine()).isEqualTo(d.size() - d.frauds());
        assertThat(s.start()).isEqualTo(d.start());
        assertThat(s.end()).isEqualTo(d.end());
        assertThat(s.schema().layout()).isEqualTo("native");
        assertThat(s.schema().columns()).startsWith("transaction_id", "timestamp", "card_id");
        assertThat(s.origin()).isEqualTo(origin);

        // the same rows in another order, in another file, registered as an import: the same snapshot
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        String header = lines.removeFirst();
        Collections.reverse(lines);
        lines.addFirst(header);
        Path copy = Files.write(dir.resolve("reversed.csv"), lines);
        Dataset d2 = new DatasetReader(BadRowPolicy.FAIL, null).read(copy, null);
        assertThat(d2.sha256()).as("different files").isNotEqualTo(d.sha256());
        DatasetSnapshot again = snapshots.register(d2, SimulationSidecar.originOf(d2));
        assertThat(again.id()).isEqualTo(s.id());
        assertThat(again.origin()).as("the first registration's origin stays").isEqualTo(origin);

        // one label flipped: other data
        List<LabeledTransaction> flipped = new ArrayList<>(d.rows());
        LabeledTransaction r = flipped.getFirst();
        flipped.set(0, new LabeledTransaction(r.transaction(), !r.fraud(), r.scenario()));
        DatasetSnapshot other = snapshots.register(flipped, "native", origin);
        assertThat(other.id()).isNotEqualTo(s.id());
        assertThat(other.sha256()).isNotEqualTo(s.sha256());

        assertThat(snapshots.get(s.id())).isEqualTo(s);
        assertThat(snapshots.bySha256(s.sha256())).contains(s);
        assertThatThrownBy(() -> snapshots.get(999_999)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("no dataset snapshot with id 999999");
    }

    @Test
    void aSidecarTracesAFileToItsSimulationOnlyWhileTheFileIsUnchanged() throws Exception {
        SimulationConfig config = SMALL.withSeed(11);
        Path csv = simulate(dir.resolve("side.csv"), config);
        Dataset d = new DatasetReader(BadRowPolicy.FAIL, null).read(csv, null);
        new SimulationSidecar(config, d.sha256()).write(csv);
        assertThat(SimulationSidecar.originOf(d)).isEqualTo(new SnapshotOrigin.Simulator(config, csv.toString(), d.sha256()));

        Files.writeString(csv, Files.readString(csv).replaceFirst("\n1,", "\n999999,"));
        Dataset edited = new DatasetReader(BadRowPolicy.FAIL, null).read(csv, null);
        assertThat(SimulationSidecar.originOf(edited)).isInstanceOf(SnapshotOrigin.ImportFile.class);
    }
}
