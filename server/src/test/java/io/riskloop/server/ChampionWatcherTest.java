package io.riskloop.server;

import io.riskloop.model.score.ScoringModel;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.serving.ChampionWatcher;
import io.riskloop.registry.serving.ServingModelLoader;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The serving side of the registry: alias moves reach whoever serves the models, as loaded, scoring models. */
class ChampionWatcherTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;
    static Registry registry;

    @BeforeAll
    static void twoVersions() throws Exception {
        registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")), Clock.systemUTC());
        for (String name : List.of("watched", "polled")) {
            Stack.register(registry, name, Stack.model());
            Stack.register(registry, name, Stack.model());
            registry.models().setAlias(name, ModelRegistry.CHAMPION, 1, "ann", "first");
        }
    }

    private static String version(ScoringModel m) {
        return m == null ? null : m.info().version();
    }

    @Test
    void aliasMovesReachTheServerOnceEachAndRemovingTheChallengerSaysSo() {
        List<String> champions = new CopyOnWriteArrayList<>();
        List<String> challengers = new CopyOnWriteArrayList<>();
        ModelRegistry models = registry.models();
        try (ChampionWatcher w = new ChampionWatcher(models, new ServingModelLoader(registry.artifacts()), "watched",
                m -> champions.add(version(m)), m -> challengers.add(version(m)))) {
            assertThat(version(w.currentChampion())).isEqualTo("watched/1");
            assertThat(w.currentChallenger()).isEmpty();
            float[] row = new float[w.currentChampion().info().featureNames().size()];
            assertThat(w.currentChampion().score(row)).isBetween(0.0, 1.0);

            w.check();
            assertThat(champions).as("nothing moved since the start").isEmpty();
            assertThat(challengers).isEmpty();

            models.setAlias("watched", ModelRegistry.CHALLENGER, 2, "ann", "retrained");
            w.check();
            w.check();
            assertThat(challengers).containsExactly("watched/2");

            models.setAlias("watched", ModelRegistry.CHAMPION, 2, "ann", "promoted");
            models.deleteAlias("watched", ModelRegistry.CHALLENGER, "ann", "promoted");
            w.check();
            assertThat(champions).containsExactly("watched/2");
            assertThat(challengers).containsExactly("watched/2", null);

            models.rollback("watched", ModelRegistry.CHAMPION, "ann", "worse live");
            w.check();
            assertThat(champions).containsExactly("watched/2", "watched/1");
        }
    }

    @Test
    void pollingFindsAMoveWithoutBeingAsked() throws Exception {
        List<String> champions = new CopyOnWriteArrayList<>();
        ModelRegistry models = registry.models();
        try (ChampionWatcher w = new ChampionWatcher(models, new ServingModelLoader(registry.artifacts()), "polled",
                m -> champions.add(version(m)), m -> { })) {
            assertThat(version(w.currentChampion())).isEqualTo("polled/1");
            w.start(Duration.ofMillis(50));
            models.setAlias("polled", ModelRegistry.CHAMPION, 2, "ann", "swap");
            Stack.await("the watcher to see the move", () -> !champions.isEmpty());
            assertThat(champions).containsExactly("polled/2");
        }
    }
}
