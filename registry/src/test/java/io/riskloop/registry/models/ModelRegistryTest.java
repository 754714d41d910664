package io.riskloop.registry.models;

import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.testkit.SimulatedData;
import io.riskloop.registry.Registry;
import io.riskloop.registry.RegistryException;
import io.riskloop.core.testkit.TestClock;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.snapshot.DatasetSnapshot;
import io.riskloop.registry.snapshot.SnapshotOrigin;
import io.riskloop.registry.tracking.Metric;
import io.riskloop.registry.tracking.NewRun;
import io.riskloop.registry.tracking.Run;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model registry on a real PostgreSQL: names, versions, aliases and their history, rollback, lineage, diff. */
class ModelRegistryTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static final TestClock CLOCK = new TestClock(Instant.parse("2024-05-01T10:00:00Z"));
    static Registry registry;
    static ModelRegistry models;

    @BeforeAll
    static void open() {
        registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir), CLOCK);
        models = registry.models();
    }

    /** A model with {@code n} versions, each from its own run. */
    static String modelWithVersions(String name, int n) {
        models.createModel(name, "test model", Map.of(), "ann");
        long exp = registry.tracking().experimentNamed("exp-" + name).id();
        for (int i = 1; i <= n; i++) {
            Run r = registry.tracking().createRun(NewRun.in(exp, "train-" + i, "ann"));
            models.createVersion(new NewVersion(name, "runs:/" + r.info().id() + "/model", r.info().id(), null, null,
                    Map.of("auc_roc", 0.8 + i / 100.0), "", Map.of(), "ann"));
        }
        return name;
    }

    static RegistryException refused(Runnable r) {
        try {
            r.run();
        } catch (RegistryException e) {
            return e;
        }
        throw new AssertionError("expected the registry to refuse");
    }

    @Test
    void namesAreCheckedAndUnique() {
        RegisteredModel m = models.createModel("fraud", "card fraud", Map.of("team", "risk"), "ann");
        assertThat(m.createdBy()).isEqualTo("ann");
        assertThat(m.latestVersion()).isNull();
        RegistryException dup = refused(() -> models.createModel("fraud", "", Map.of(), "bob"));
        assertThat(dup.kind()).isEqualTo(RegistryException.Kind.ALREADY_EXISTS);
        assertThat(dup.errors()).extracting("field").containsExactly("name");
        RegistryException bad = refused(() -> models.createModel("no spaces please", "", Map.of(), "ann"));
        assertThat(bad.kind()).isEqualTo(RegistryException.Kind.INVALID);
        assertThat(bad.getMessage()).contains("not a valid model name");
        RegistryException several = refused(() -> models.createModel("", "", Map.of("bad key!", "v"), null));
        assertThat(several.errors()).extracting("field").containsExactlyInAnyOrder("name", "actor", "tags.key");
        assertThat(refused(() -> models.model("nope")).kind()).isEqualTo(RegistryException.Kind.NOT_FOUND);
        assertThat(models.updateModel("fraud", "better words").description()).isEqualTo("better words");
    }

    @Test
    void versionsAreNumberedPerModelAndTakeTheirRunsSnapshotAndMetrics() {
        models.createModel("numbered", "", Map.of(), "ann");
        SimulationConfig cfg = SimulatedData.SCALED_BOOK.withDays(5).withStartDate(LocalDate.of(2018, 4, 1));
        DatasetSnapshot snap = registry.snapshots().register(SimulatedData.rows(cfg), "native",
                new SnapshotOrigin.Simulator(cfg, null, null));
        long exp = registry.tracking().experimentNamed("numbering").id();
        Run run = registry.tracking().createRun(NewRun.in(exp, null, "ann").withSnapshot(snap.id()));
        registry.tracking().logMetric(run.info().id(), new Metric("auc_roc", 0.91, 1, 0));
        ModelVersion v1 = models.createVersion(new NewVersion("numbered", "s3://bucket/m", run.info().id(), null, null,
                null, "first", Map.of("stage", "dev"), "ann"));
        ModelVersion v2 = models.createVersion(new NewVersion("numbered", "s3://bucket/m2", null, null, null, null, null,
                null, "bob"));
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v1.snapshotId()).as("from the run").isEqualTo(snap.id());
        assertThat(v1.metrics()).containsEntry("auc_roc", 0.91);
        assertThat(v1.tags()).containsEntry("stage", "dev");
        assertThat(models.version("numbered", 1)).isEqualTo(v1);
        assertThat(models.versionById(v2.id())).isEqualTo(v2);
        assertThat(models.model("numbered").latestVersion()).isEqualTo(2);
        assertThat(refused(() -> models.version("numbered", 3)).errors()).extracting("field").containsExactly("version");
        assertThat(refused(() -> models.createVersion(new NewVersion("absent", "x", null, null, null, null, null, null,
                "ann"))).kind()).isEqualTo(RegistryException.Kind.NOT_FOUND);
        assertThat(refused(() -> models.createVersion(new NewVersion("numbered", "x", "f".repeat(32), null, null, null,
                null, null, "ann"))).errors()).extracting("field").containsExactly("run_id");
        assertThat(models.searchVersions("name = 'numbered' and run_id = '" + run.info().id() + "'", null, null, null)
                .items()).extracting(ModelVersion::version).containsExactly(1);
        assertThat(models.searchModels("name LIKE 'numb%'", null, null, null).items()).extracting(RegisteredModel::name)
                .containsExactly("numbered");
    }

    @Test
    void everyAliasMoveIsRecordedWithWhoWhenAndWhy() {
        String m = modelWithVersions("aliased", 3);
        Instant t1 = CLOCK.advance(Duration.ofMinutes(1));
        AliasMove first = models.setAlias(m, ModelRegistry.CHAMPION, 1, "ann", "first model").orElseThrow();
        assertThat(first).extracting(AliasMove::seq, AliasMove::kind, AliasMove::fromVersion, AliasMove::toVersion,
                AliasMove::actor, AliasMove::reason, AliasMove::movedAt)
                .containsExactly(1, AliasMove.Kind.SET, null, 1, "ann", "first model", t1);
        CLOCK.advance(Duration.ofMinutes(1));
        models.setAlias(m, ModelRegistry.CHALLENGER, 3, "bob", "shadow it");
        assertThat(models.setAlias(m, ModelRegistry.CHAMPION, 1, "ann", "again")).as("no change, no move").isEmpty();
        AliasMove second = models.setAlias(m, ModelRegistry.CHAMPION, 2, "carol", "better AP").orElseThrow();
        assertThat(second.fromVersion()).isEqualTo(1);
        assertThat(second.seq()).isEqualTo(2);

        assertThat(models.versionByAlias(m, "champion").version()).isEqualTo(2);
        assertThat(models.model(m).aliases()).containsExactlyInAnyOrderEntriesOf(Map.of("champion", 2, "challenger", 3));
        assertThat(models.version(m, 3).aliases()).containsExactly("challenger");
        assertThat(models.history(m, "champion")).extracting(AliasMove::actor).containsExactly("carol", "ann");
        assertThat(models.history(m, null)).hasSize(3);

        AliasMove deleted = models.deleteAlias(m, "challenger", "bob", "shadow over");
        assertThat(deleted.kind()).isEqualTo(AliasMove.Kind.DELETE);
        assertThat(deleted.fromVersion()).isEqualTo(3);
        assertThat(refused(() -> models.versionByAlias(m, "challenger")).kind()).isEqualTo(RegistryException.Kind.NOT_FOUND);
        assertThat(refused(() -> models.deleteAlias(m, "challenger", "bob", "")).kind())
                .isEqualTo(RegistryException.Kind.NOT_FOUND);
        assertThat(refused(() -> models.setAlias(m, "latest", 1, "ann", "")).getMessage()).contains("reserved");
        assertThat(refused(() -> models.setAlias(m, "champion", 9, "ann", "")).errors()).extracting("field")
                .containsExactly("version");
    }

    @Test
    void rollbackRestoresThePreviousChampionAndIsItselfRecorded() {
        String m = modelWithVersions("rolled", 3);
        assertThat(refused(() -> models.rollback(m, "champion", "ann", "nothing yet")).getMessage())
                .contains("nothing to roll back");
        models.setAlias(m, "champion", 1, "ann", "v1");
        assertThat(refused(() -> models.rollback(m, "champion", "ann", "only one")).getMessage())
                .contains("no earlier version");
        models.setAlias(m, "champion", 2, "ann", "v2");
        models.setAlias(m, "champion", 3, "ann", "v3");

        AliasMove back = models.rollback(m, "champion", "bob", "v3 declines good customers");
        assertThat(back).extracting(AliasMove::kind, AliasMove::fromVersion, AliasMove::toVersion, AliasMove::actor,
                AliasMove::reason).containsExactly(AliasMove.Kind.ROLLBACK, 3, 2, "bob", "v3 declines good customers");
        assertThat(models.versionByAlias(m, "champion").version()).isEqualTo(2);
        // rollbacks undo in turn, not back and forth
        assertThat(models.rollback(m, "champion", "bob", "v2 too").toVersion()).isEqualTo(1);
        assertThat(refused(() -> models.rollback(m, "champion", "bob", "and again")).getMessage())
                .contains("no earlier version");
        models.setAlias(m, "champion", 3, "ann", "fixed v3");
        assertThat(models.rollback(m, "champion", "bob", "no").toVersion()).isEqualTo(1);
        assertThat(models.history(m, "champion")).extracting(AliasMove::seq).containsExactly(7, 6, 5, 4, 3, 2, 1);
    }

    @Test
    void lineageLeadsFromAVersionToItsRunSnapshotAndSimulatorParameters() {
        SimulationConfig cfg = SimulatedData.SCALED_BOOK.withDays(4).withSeed(77);
        DatasetSnapshot snap = registry.snapshots().register(SimulatedData.rows(cfg), "native",
                new SnapshotOrigin.Simulator(cfg, "data/sim.csv", "a".repeat(64)));
        long exp = registry.tracking().experimentNamed("lineage").id();
        Run run = registry.tracking().createRun(NewRun.in(exp, "train", "ann").withSnapshot(snap.id())
                .withCodeVersion("0123abc"));
        registry.tracking().logParam(run.info().id(), "max_depth", "6");
        models.createModel("traced", "", Map.of(), "ann");
        ModelVersion v = models.createVersion(new NewVersion("traced", "runs:/" + run.info().id() + "/model",
                run.info().id(), null, null, null, null, null, "ann"));

        Lineage l = models.lineage(v.id());
        assertThat(l.version()).isEqualTo(v);
        assertThat(l.run().info().id()).isEqualTo(run.info().id());
        assertThat(l.run().info().codeVersion()).isEqualTo("0123abc");
        assertThat(l.experiment().name()).isEqualTo("lineage");
        assertThat(l.snapshot()).isEqualTo(snap);
        assertThat(l.snapshot().origin()).isInstanceOfSatisfying(SnapshotOrigin.Simulator.class,
                s -> assertThat(s.config()).isEqualTo(cfg));
        assertThat(models.lineage("traced", 1)).isEqualTo(l);
        assertThat(refused(() -> models.lineage(123_456_789L)).kind()).isEqualTo(RegistryException.Kind.NOT_FOUND);

        ModelVersion bare = models.createVersion(new NewVersion("traced", "elsewhere", null, null, null,
                Map.of("auc_roc", 0.5), null, null, "ann"));
        Lineage partial = models.lineage("traced", bare.version());
        assertThat(partial.run()).isNull();
        assertThat(partial.snapshot()).isNull();

        VersionDiff d = models.diff("traced", 1, 2);
        assertThat(d.differences()).extracting(VersionDiff.Row::property)
                .contains("run", "dataset snapshot", "param max_depth", "metric auc_roc");
        assertThat(d.rows()).filteredOn(r -> r.property().equals("param max_depth")).singleElement()
                .extracting(VersionDiff.Row::a, VersionDiff.Row::b).containsExactly("6", null);
    }

    @Test
    void theSchemaItselfRefusesTwoChampionsAndTwoMovesWithOnePredecessor() {
        String m = modelWithVersions("guarded", 2);
        models.setAlias(m, "champion", 1, "ann", "v1");
        var db = POSTGRES.database();
        assertThatThrownBy(() -> db.inTransaction(c -> c.createStatement().execute(
                "insert into model_aliases (model_id, alias, model_version_id, moved_at) select m.id, 'champion', v.id,"
                        + " now() from registered_models m join model_versions v on v.model_id = m.id"
                        + " where m.name = 'guarded' and v.version = 2")))
                .hasMessageContaining("model_aliases_pkey");
        assertThatThrownBy(() -> db.inTransaction(c -> c.createStatement().execute(
                "insert into alias_moves (model_id, alias, seq, kind, to_version_id, actor, reason, moved_at)"
                        + " select m.id, 'champion', 1, 'set', v.id, 'mallory', '', now() from registered_models m"
                        + " join model_versions v on v.model_id = m.id where m.name = 'guarded' and v.version = 2")))
                .hasMessageContaining("alias_moves_seq_key");
        assertThat(models.history(m, "champion")).hasSize(1);
        assertThat(models.versionByAlias(m, "champion").version()).isEqualTo(1);
        assertThat(List.of(models.model(m).aliases())).containsExactly(Map.of("champion", 1));
    }
}
