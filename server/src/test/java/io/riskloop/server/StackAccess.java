package io.riskloop.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.server.auth.Role;
import io.riskloop.server.live.LiveFeatures;
import io.riskloop.store.Database;
import io.riskloop.stream.broker.EmbeddedKafka;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/** {@link Stack} for tests in other packages. */
public final class StackAccess implements AutoCloseable {

    public static final SimulationConfig WORLD = Stack.WORLD;

    private final Stack stack;

    private StackAccess(Stack stack) {
        this.stack = stack;
    }

    public static StackAccess start(Database db, Path dir, boolean withPipeline) throws Exception {
        return new StackAccess(Stack.start(db, dir, withPipeline));
    }

    public static List<LabeledTransaction> rows() {
        return Stack.rows();
    }

    public static void await(String what, BooleanSupplier done) throws InterruptedException {
        Stack.await(what, done);
    }

    public EmbeddedKafka kafka() {
        return stack.kafka;
    }

    public LiveFeatures live() {
        return stack.live();
    }

    /** POST /api/v1/score?features=true as a service; fails unless 200. */
    public JsonNode score(String transactionJson) throws Exception {
        Stack.Response r = stack.call(Role.SERVICE, "POST", "/api/v1/score?features=true", transactionJson);
        if (r.status() != 200) {
            throw new AssertionError("score answered " + r.status() + ": " + r.raw());
        }
        return r.body();
    }

    @Override
    public void close() {
        stack.close();
    }
}
