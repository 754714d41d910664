package io.riskloop.stream.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * A webhook notifier: where to POST alerts and how to sign them.
 *
 * @param name           the notifier's name in routing, counters and dead letters (default {@code webhook})
 * @param url            the endpoint, an absolute http or https URL; redirects are not followed
 * @param secret         the HMAC-SHA256 key of {@code X-Riskloop-Signature}, shared with the receiver (at least 16
 *                       characters; e.g. {@code openssl rand -hex 32})
 * @param connectTimeout the longest wait for a connection (default 5 s)
 * @param requestTimeout the longest wait for the answer, once connected (default 10 s)
 * @param retry          attempts and waits before the dead-letter topic (default {@link RetryPolicy#DEFAULT})
 */
public record WebhookConfig(String name, URI url, String secret, Duration connectTimeout, Duration requestTimeout,
                            RetryPolicy retry) {

    static final int MIN_SECRET_LENGTH = 16;

    public WebhookConfig {
        NotifierName.check("webhook", name);
        String who = "webhook '" + name + "': ";
        if (url == null) {
            throw new IllegalArgumentException(who + "the url is missing");
        }
        if (!url.isAbsolute() || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                || url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException(who + "url '" + url + "' must be an absolute http or https URL with a"
                    + " host, such as https://alerts.example.com/riskloop");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(who + "the signing secret is missing; generate one (openssl rand -hex"
                    + " 32) and give the receiver the same");
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(who + "the signing secret has " + secret.length() + " characters; use"
                    + " at least " + MIN_SECRET_LENGTH + " (openssl rand -hex 32 gives 64)");
        }
        positive(who, "connectTimeout", connectTimeout);
        positive(who, "requestTimeout", requestTimeout);
        if (retry == null) {
            throw new IllegalArgumentException(who + "the retry policy is missing");
        }
    }

    /**
     * A webhook named {@code webhook} with the default timeouts and retry policy.
     *
     * @param url    the endpoint
     * @param secret the signing secret
     */
    public static WebhookConfig of(String url, String secret) {
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("webhook 'webhook': url '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        return new WebhookConfig("webhook", uri, secret, Duration.ofSeconds(5), Duration.ofSeconds(10),
                RetryPolicy.DEFAULT);
    }

    public WebhookConfig withName(String n) {
        return new WebhookConfig(n, url, secret, connectTimeout, requestTimeout, retry);
    }

    public WebhookConfig withTimeouts(Duration connect, Duration request) {
        return new WebhookConfig(name, url, secret, connect, request, retry);
    }

    public WebhookConfig withRetry(RetryPolicy r) {
        return new WebhookConfig(name, url, secret, connectTimeout, requestTimeout, r);
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "WebhookConfig[name=" + name + ", url=" + url + ", secret=(" + secret.length() + " characters)"
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", retry=" + retry + "]";
    }

    static void positive(String who, String setting, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(who + setting + " must be positive, was " + d);
        }
    }
}
