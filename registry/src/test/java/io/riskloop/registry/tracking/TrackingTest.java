package io.riskloop.registry.tracking;

import io.riskloop.registry.Page;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Experiments and runs on a real PostgreSQL. */
class TrackingTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path artifacts;

    static final TestClock CLOCK = new TestClock(Instant.parse("2024-05-01T10:00:00Z"));
    static Tracking tracking;

    @BeforeAll
    static void open() {
        tracking = Registry.open(POSTGRES.database(), new ArtifactStore(artifacts), CLOCK).tracking();
    }

    static RegistryException.Kind kindOf(Runnable r) {
        try {
            r.run();
        } catch (RegistryException e) {
            return e.kind();
        }
        throw new AssertionError("expected a RegistryException");
    }

    @Test
    void experimentsHaveUniqueValidNamesAndTheDefaultExists() {
        assertThat(tracking.experiment(0).name()).isEqualTo("Default");
        Experiment e = tracking.createExperiment("fraud-2024", null, Map.of("team", "risk"));
        assertThat(e.id()).isPositive();
        assertThat(e.tags()).containsEntry("team", "risk");
        assertThat(tracking.experimentByName("fraud-2024")).contains(e);
        assertThat(tracking.experimentNamed("fraud-2024").id()).isEqualTo(e.id());
        assertThat(kindOf(() -> tracking.createExperiment("fraud-2024", null, Map.of())))
                .isEqualTo(RegistryException.Kind.ALREADY_EXISTS);
        assertThatThrownBy(() -> tracking.createExperiment(" padded ", null, Map.of()))
                .isInstanceOfSatisfying(RegistryException.class, x ->
                        assertThat(x.errors()).extracting("field").containsExactly("name"));
        assertThat(kindOf(() -> tracking.experiment(987_654))).isEqualTo(RegistryException.Kind.NOT_FOUND);
    }

    @Test
    void aRunKeepsParamsOnceEveryMetricValueTagsAndItsStatus() {
        long exp = tracking.createExperiment("runs-basic", null, Map.of()).id();
        Run r = tracking.createRun(NewRun.in(exp, "first", "ann"));
        String id = r.info().id();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(r.info().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(r.info().startTime()).isEqualTo(CLOCK.instant());

        tracking.logParam(id, "max_depth", "6");
        tracking.logParam(id, "max_depth", "6"); // the same value again is fine
        assertThatThrownBy(() -> tracking.logParam(id, "max_depth", "7"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
                    assertThat(e.getMessage()).contains("max_depth", "'6'", "'7'");
                });
        tracking.logMetric(id, new Metric("loss", 0.9, 1000, 0));
        tracking.logMetric(id, new Metric("loss", 0.5, 3000, 2));
        tracking.logMetric(id, new Metric("loss", 0.7, 2000, 1));
        tracking.logMetric(id, new Metric("loss", 0.4, 1500, 2)); // same step, earlier: not the latest
        tracking.setTag(id, "note", "a");
        tracking.setTag(id, "note", "b");
        Run back = tracking.run(id);
        assertThat(back.params()).containsExactly(Map.entry("max_depth", "6"));
        assertThat(back.metric("loss")).as("largest step, then latest time").isEqualTo(0.5);
        assertThat(back.tags()).containsEntry("note", "b");
        assertThat(tracking.metricHistory(id, "loss")).extracting(Metric::value).containsExactly(0.9, 0.7, 0.4, 0.5);

        CLOCK.advance(Duration.ofMinutes(3));
        Run done = tracking.updateRun(id, RunStatus.FINISHED, null, "renamed");
        assertThat(done.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(done.info().endTime()).isEqualTo(CLOCK.instant());
        assertThat(done.info().name()).isEqualTo("renamed");

        assertThat(kindOf(() -> tracking.createRun(NewRun.in(999_999, null, "ann"))))
                .isEqualTo(RegistryException.Kind.NOT_FOUND);
        assertThat(kindOf(() -> tracking.logParam("0".repeat(32), "a", "b"))).isEqualTo(RegistryException.Kind.NOT_FOUND);
        assertThat(kindOf(() -> tracking.createRun(NewRun.in(exp, null, "ann").withSnapshot(424242L))))
                .isEqualTo(RegistryException.Kind.NOT_FOUND);
    }

    @Test
    void aBatchIsLoggedWhollyOrNotAtAll() {
        long exp = tracking.createExperiment("runs-batch", null, Map.of()).id();
        String id = tracking.createRun(NewRun.in(exp, null, "ann")).info().id();
        assertThatThrownBy(() -> tracking.logBatch(id, List.of(new Metric("ok", 1, 1, 0), new Metric("bad key!", 1, 1, 0)),
                Map.of("p", "1"), Map.of()))
                .isInstanceOfSatisfying(RegistryException.class, e ->
                        assertThat(e.errors()).extracting("field").containsExactly("metrics[1].key"));
        tracking.logParam(id, "p", "1");
        assertThatThrownBy(() -> tracking.logBatch(id, List.of(new Metric("m", 1, 1, 0)), Map.of("p", "2"), Map.of()))
                .isInstanceOf(RegistryException.class);
        Run r = tracking.run(id);
        assertThat(r.metrics()).as("the metric of a refused batch is not logged").isEmpty();
        assertThat(r.params()).containsExactly(Map.entry("p", "1"));

        List<Metric> tooMany = new ArrayList<>();
        for (int i = 0; i <= Tracking.MAX_BATCH_METRICS; i++) {
            tooMany.add(new Metric("m", i, i, i));
        }
        assertThatThrownBy(() -> tracking.logBatch(id, tooMany, Map.of(), Map.of())).hasMessageContaining("at most 1000");
    }

    @Test
    void searchFiltersOrdersAndPages() {
        long exp = tracking.createExperiment("runs-search", null, Map.of()).id();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CLOCK.advance(Duration.ofSeconds(1));
            String id = tracking.createRun(NewRun.in(exp, "r" + i, i % 2 == 0 ? "ann" : "bob")).info().id();
            tracking.logBatch(id, List.of(new Metric("auc", 0.5 + i * 0.1, 1, 0)),
                    Map.of("algorithm", i < 3 ? "xgboost" : "random_forest"), Map.of("fold", "f" + i));
            ids.add(id);
        }
        tracking.updateRun(ids.get(4), RunStatus.FAILED, null, null);
        Page<Run> good = tracking.searchRuns(List.of(exp), "metrics.auc > 0.55 and params.algorithm = 'xgboost'",
                List.of("metrics.auc DESC"), null, null, Tracking.View.ACTIVE_ONLY);
        assertThat(good.items()).extracting(r -> r.info().name()).containsExactly("r2", "r1");
        assertThat(tracking.searchRuns(List.of(exp), "attributes.status = 'FAILED'", null, null, null, null).items())
                .extracting(r -> r.info().id()).containsExactly(ids.get(4));
        assertThat(tracking.searchRuns(List.of(exp), "tags.fold IN ('f0', 'f3') and user_id = 'bob'", null, null, null,
                null).items()).extracting(r -> r.info().name()).containsExactly("r3");
        assertThat(tracking.searchRuns(List.of(exp), "run_name LIKE 'r%'", null, null, null, null).items()).hasSize(5);

        Page<Run> first = tracking.searchRuns(List.of(exp), null, null, 2, null, null);
        assertThat(first.items()).extracting(r -> r.info().name()).containsExactly("r4", "r3");
        Page<Run> second = tracking.searchRuns(List.of(exp), null, null, 2, first.nextPageToken(), null);
        Page<Run> third = tracking.searchRuns(List.of(exp), null, null, 2, second.nextPageToken(), null);
        assertThat(second.items()).extracting(r -> r.info().name()).containsExactly("r2", "r1");
        assertThat(third.items()).extracting(r -> r.info().name()).containsExactly("r0");
        assertThat(third.nextPageToken()).isNull();

        assertThatThrownBy(() -> tracking.searchRuns(List.of(exp), "attributes.colour = 'red'", null, null, null, null))
                .hasMessageContaining("cannot search on attributes.colour");
        assertThatThrownBy(() -> tracking.searchRuns(List.of(exp), "metrics.auc > 'high'", null, null, null, null))
                .hasMessageContaining("compares as a number");
        assertThat(tracking.searchExperiments("name LIKE 'runs-%'", List.of("name"), null, null, null).items())
                .extracting(Experiment::name).contains("runs-search").allMatch(n -> n.startsWith("runs-"));
    }

    @Test
    void artifactsAreStoredOnceByContentAndCheckedOnTheWayOut(@TempDir Path dir) throws Exception {
        long exp = tracking.createExperiment("runs-artifacts", null, Map.of()).id();
        String a = tracking.createRun(NewRun.in(exp, null, "ann")).info().id();
        String b = tracking.createRun(NewRun.in(exp, null, "ann")).info().id();
        Path f = Files.writeString(dir.resolve("model.json"), "{\"trees\": []}");
        RunArtifact ra = tracking.logArtifact(a, "model/model.json", f);
        RunArtifact rb = tracking.logArtifact(b, "model.json", f);
        assertThat(ra.sha256()).isEqualTo(rb.sha256());
        assertThat(tracking.artifacts(a)).containsExactly(ra);
        ArtifactStore store = tracking.artifactStore();
        try (var files = Files.walk(store.root())) {
            assertThat(files.filter(Files::isRegularFile).count()).as("one copy of the bytes").isEqualTo(1);
        }
        Path out = dir.resolve("copy.json");
        store.copyTo(ra.sha256(), out);
        assertThat(Files.readString(out)).isEqualTo("{\"trees\": []}");

        Files.writeString(store.path(ra.sha256()), "tampered");
        assertThatThrownBy(() -> store.copyTo(ra.sha256(), dir.resolve("bad.json")))
                .hasMessageContaining("damaged");
        assertThat(dir.resolve("bad.json")).doesNotExist();
        assertThatThrownBy(() -> tracking.logArtifact(a, "../escape", f)).isInstanceOf(RegistryException.class);
        assertThat(kindOf(() -> tracking.artifact(a, "missing.txt"))).isEqualTo(RegistryException.Kind.NOT_FOUND);
    }
}
