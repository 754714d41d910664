package io.riskloop.stream.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * POSTs each alert's JSON, exactly as on the {@code alerts} topic, to a URL, signed so that the receiver can tell it
 * comes from riskloop unaltered:
 * <ul>
 *   <li>{@code X-Riskloop-Signature: sha256=<hex HMAC-SHA256 of the body with the shared secret>}</li>
 *   <li>{@code X-Riskloop-Delivery}: the delivery id, the same on every attempt and redelivery</li>
 *   <li>{@code X-Riskloop-Timestamp}: when this attempt was sent, in seconds since the epoch</li>
 * </ul>
 * A 2xx answer delivers. A refused connection, a timeout, 5xx and 429 are worth retrying (with the server's
 * {@code Retry-After} when it gives one); 408 too. Any other answer, redirects included, is final.
 */
public final class WebhookNotifier implements Notifier {

    public static final String SIGNATURE = "X-Riskloop-Signature";
    public static final String DELIVERY = "X-Riskloop-Delivery";
    public static final String TIMESTAMP = "X-Riskloop-Timestamp";
    /** Header naming a notice's kind; absent on transaction alerts. */
    public static final String EVENT = "X-Riskloop-Event";
    private static final int MAX_ERROR_BODY = 200;

    private final WebhookConfig config;
    private final Clock clock;
    private final HttpClient client;
    private final SecretKeySpec key;

    public WebhookNotifier(WebhookConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1) // one request at a time; no h2c upgrade dance on plain http
                .build();
        this.key = new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public RetryPolicy retryPolicy() {
        return config.retry();
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} with {@code secret}: what a receiver recomputes. */
    public static String signature(String secret, byte[] body) {
        return sign(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), body);
    }

    private static String sign(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public Attempt send(Alert alert, String deliveryId, int attempt) throws InterruptedException {
        return post(alert.json(), deliveryId, null);
    }

    @Override
    public Attempt send(Notice notice, int attempt) throws InterruptedException {
        return post(notice.json(), notice.id(), notice.kind());
    }

    private Attempt post(String json, String deliveryId, String event) throws InterruptedException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(config.url());
        if (event != null) {
            builder.header(EVENT, event);
        }
        HttpRequest request = builder
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "riskloop")
                .header(SIGNATURE, sign(key, body))
                .header(DELIVERY, deliveryId)
                .header(TIMESTAMP, Long.toString(clock.instant().getEpochSecond()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            return Attempt.transientFailure(null, "no answer from " + config.url() + " within the timeout ("
                    + e.getMessage() + ")", null);
        } catch (IOException e) {
            return Attempt.transientFailure(null, "cannot reach " + config.url() + ": " + describe(e), null);
        }
        int status = response.statusCode();
        String excerpt = excerpt(response.body());
        if (status >= 200 && status < 300) {
            return Attempt.delivered();
        }
        String error = "HTTP " + status + " from " + config.url() + (excerpt.isEmpty() ? "" : ": " + excerpt);
        if (status >= 500 || status == 429 || status == 408) {
            return Attempt.transientFailure(status, error,
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock.instant()));
        }
        if (status >= 300 && status < 400) {
            return Attempt.permanentFailure(status, error + " (redirects are not followed: configure the final URL"
                    + response.headers().firstValue("Location").map(l -> ", " + l).orElse("") + ")");
        }
        return Attempt.permanentFailure(status, error);
    }

    /**
     * The wait a {@code Retry-After} header asks for: seconds, or an HTTP date; null when absent or unreadable.
     */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return null; // more digits than a long holds: not a wait anyone means
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String excerpt(InputStream body) {
        try (body) {
            byte[] head = body.readNBytes(MAX_ERROR_BODY);
            String s = new String(head, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
            return head.length == MAX_ERROR_BODY ? s + "..." : s;
        } catch (IOException e) {
            return "";
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }

    @Override
    public void close() {
        client.close();
    }
}
