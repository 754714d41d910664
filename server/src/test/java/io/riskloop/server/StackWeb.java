package io.riskloop.server;

import io.riskloop.registry.Registry;
import io.riskloop.server.auth.Role;
import io.riskloop.store.Database;

import java.nio.file.Path;

/** {@link Stack} for the web app's tests: a running pipeline and server with decided transactions. */
public final class StackWeb implements AutoCloseable {

    private final Stack stack;

    private StackWeb(Stack stack) {
        this.stack = stack;
    }

    /** Starts everything and sends {@code transactions} simulated transactions through the API and the pipeline. */
    public static StackWeb start(Database db, Path dir, int transactions) throws Exception {
        Stack s = Stack.start(db, dir, true);
        var rows = Stack.rows();
        for (int i = rows.size() - transactions; i < rows.size(); i++) {
            Stack.Response r = s.call(Role.SERVICE, "POST", "/api/v1/transactions",
                    io.riskloop.stream.TransactionJson.write(rows.get(i).transaction()));
            if (r.status() != 202) {
                throw new AssertionError(r.raw());
            }
        }
        Stack.await(transactions + " decisions stored",
                () -> s.parts.decisions().counts().get("decisions") == transactions);
        return new StackWeb(s);
    }

    public String url(String path) {
        return stack.url(path);
    }

    public ServerParts parts() {
        return stack.parts;
    }

    public Registry registry() {
        return stack.registry;
    }

    /** Registers the test model again, as a new version of "fraud". */
    public int registerVersion() throws Exception {
        return Stack.register(stack.registry, "fraud", Stack.model()).version();
    }

    public static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        Stack.await(what, done);
    }

    @Override
    public void close() {
        stack.close();
    }
}
