package io.riskloop.registry.models;

import io.riskloop.registry.Registry;
import io.riskloop.registry.RegistryException;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.store.Sql;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many writers promote, roll back and register versions of one model at the same moment, on a real PostgreSQL
 * with separate connections. Afterwards there is exactly one champion, every move that was reported done is in
 * the history, and the history is one unbroken chain: each move starts where the previous one ended, and the
 * last one ends at the champion.
 */
class ConcurrentPromotionTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static ModelRegistry models;

    @BeforeAll
    static void open() {
        models = Registry.open(POSTGRES.database(), new ArtifactStore(dir), Clock.systemUTC()).models();
    }

    @Test
    void concurrentPromotionsNeverLeaveTwoChampionsOrLoseAMove() throws Exception {
        String model = "contended";
        models.createModel(model, "", Map.of(), "setup");
        int versions = 6;
        for (int i = 0; i < versions; i++) {
            models.createVersion(new NewVersion(model, "src-" + i, null, null, null, Map.of(), null, null, "setup"));
        }
        int writers = 8;
        int movesEach = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<AliasMove>>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            results.add(pool.submit((Callable<List<AliasMove>>) () -> {
                Random rnd = new Random(writer);
                List<AliasMove> done = new ArrayList<>();
                start.await();
                for (int i = 0; i < movesEach; i++) {
                    if (rnd.nextInt(5) == 0) {
                        try {
                            done.add(models.rollback(model, "champion", "writer-" + writer, "rollback " + i));
                        } catch (RegistryException e) {
                            // nothing to roll back to at this moment: a refusal, not a lost move
                        }
                    } else {
                        models.setAlias(model, "champion", 1 + rnd.nextInt(versions), "writer-" + writer, "promote " + i)
                                .ifPresent(done::add);
                    }
                }
                return done;
            }));
        }
        // registering versions at the same time must not disturb the numbering either
        Future<List<Integer>> registrations = pool.submit(() -> {
            start.await();
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                numbers.add(models.createVersion(new NewVersion(model, "late-" + i, null, null, null, Map.of(), null,
                        null, "registrar")).version());
            }
            return numbers;
        });
        start.countDown();
        List<AliasMove> reported = new ArrayList<>();
        for (Future<List<AliasMove>> f : results) {
            reported.addAll(f.get(2, TimeUnit.MINUTES));
        }
        List<Integer> registered = registrations.get(2, TimeUnit.MINUTES);
        pool.shutdown();

        long champions = POSTGRES.database().withConnection(c -> Sql.returningLong(c, "select count(*) from model_aliases a"
                + " join registered_models m on m.id = a.model_id where m.name = ? and a.alias = 'champion'", model));
        assertThat(champions).isEqualTo(1);

        List<AliasMove> history = new ArrayList<>(models.history(model, "champion"));
        Collections.reverse(history); // oldest first
        assertThat(history).hasSameSizeAs(reported);
        assertThat(history).extracting(AliasMove::id).containsExactlyInAnyOrderElementsOf(
                reported.stream().map(AliasMove::id).toList());
        for (int i = 0; i < history.size(); i++) {
            AliasMove m = history.get(i);
            assertThat(m.seq()).isEqualTo(i + 1);
            Integer before = i == 0 ? null : history.get(i - 1).toVersion();
            assertThat(m.fromVersion()).as("move %d starts where move %d ended", i + 1, i).isEqualTo(before);
        }
        assertThat(models.versionByAlias(model, "champion").version()).isEqualTo(history.getLast().toVersion());
        assertThat(reported.size()).as("most attempts were real moves").isGreaterThan(writers * movesEach / 2);

        assertThat(registered).doesNotHaveDuplicates().allMatch(v -> v > versions && v <= versions + 10);
        assertThat(models.versions(model)).extracting(ModelVersion::version)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, versions + 10).map(v -> versions + 11 - v)
                        .boxed().toList());
    }
}
