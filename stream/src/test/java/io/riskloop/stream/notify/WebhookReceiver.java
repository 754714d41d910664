package io.riskloop.stream.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A real HTTP server on a free loopback port that records what it receives and answers as scripted. */
final class WebhookReceiver implements AutoCloseable {

    /** One received request: headers (names in lower case) and the exact body. */
    record Request(Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers the {@code n}-th request (from 1): sets headers on {@code exchange} and returns the status. */
    interface Script {
        int answer(int n, HttpExchange exchange) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);

    WebhookReceiver(Script script) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream().collect(
                        Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), e -> String.join(",", e.getValue())));
                requests.add(new Request(headers, body));
                int status = script.answer(requests.size(), exchange);
                if (status == 204) {
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                byte[] answer = ("answer to request " + requests.size()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    static WebhookReceiver always(int status) {
        return new WebhookReceiver((n, x) -> status);
    }

    /** Answers the statuses in turn, then the last one for ever. */
    static WebhookReceiver answering(int... statuses) {
        return new WebhookReceiver((n, x) -> statuses[Math.min(n, statuses.length) - 1]);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** For scripts that hold requests: lets them all go. */
    void release() {
        released.countDown();
    }

    /** Blocks a handler until {@link #release()} (or a minute). */
    void holdUntilReleased() throws InterruptedException {
        released.await(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
