package io.riskloop.stream.notify;

import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.stream.Records;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the notifier tests share: alerts written by the pipeline's own writer, a fixed clock, waiting. */
final class NotifyKit {

    static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String SECRET = "7f3c9a51e2b84d06a9c1f05e3b7d2a48";
    static final String CARD = "tok_0123456789abcdef0123456789abcdef";
    /** Waits in tests: short, so that retries take milliseconds. */
    static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), 2.0, 0.5);

    private NotifyKit() {
    }

    /** The alert the pipeline writes for this decision ({@link Records#alert}), read back. */
    static Alert alert(String transactionId, DecisionType decision, double score, double amount) {
        return Alert.read(alertJson(transactionId, decision, score, amount));
    }

    static String alertJson(String transactionId, DecisionType decision, double score, double amount) {
        Transaction tx = new Transaction(transactionId, Instant.parse("2025-03-14T09:26:50Z"), CARD, "term-7", amount,
                Map.of("currency", "EUR"));
        Decision d = new Decision(tx, new double[0], List.of(), score, decision,
                List.of("score " + score + " >= threshold 0.9", "amount above the card's 30-day mean"), "fraud/3", null,
                null, NOW);
        return Records.alert(d);
    }

    /**
     * The receiver's check of {@code X-Riskloop-Signature}, as docs/alerts.md shows it: recompute the HMAC of the
     * exact body and compare in constant time.
     */
    static boolean verify(String secret, byte[] body, String signatureHeader) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                signatureHeader.getBytes(StandardCharsets.UTF_8));
    }

    /** A port nothing listens on (taken and released at once). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Polls {@code condition} until it holds or {@code deadline} passes; fails with {@code what} and the state. */
    static void await(String what, BooleanSupplier condition, Supplier<Object> state) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("waited 60 s for " + what + "; state: " + state.get());
            }
            Thread.sleep(20);
        }
    }
}
