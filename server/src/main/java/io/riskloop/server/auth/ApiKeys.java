package io.riskloop.server.auth;

import io.riskloop.store.access.ApiKey;
import io.riskloop.store.access.ApiKeyStore;
import io.riskloop.store.audit.AuditLog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * API keys: made from 32 random bytes, shown once, kept only as their SHA-256 (enough for a key of that entropy:
 * a hash cannot be turned back into the key, and guessing one is hopeless). A presented key is hashed and looked
 * up; the stored hash is then compared with {@link MessageDigest#isEqual} (constant time). Recent lookups are
 * cached for {@link #CACHE_FOR}, so a revocation takes effect within that time on every server, and a busy scoring
 * client costs no database query per request. Every create and revoke is written to the audit log.
 */
public final class ApiKeys {

    /** What every key starts with, so that a leaked key is recognisable (e.g. by secret scanners). */
    public static final String KEY_PREFIX = "rlk_";
    /** The environment variable that may hold the first admin key. */
    public static final String ADMIN_KEY_ENV = "RISKLOOP_ADMIN_KEY";
    /** How long a looked-up key is trusted without asking the database again. */
    public static final Duration CACHE_FOR = Duration.ofSeconds(5);
    static final int MIN_KEY_LENGTH = 32;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final int MAX_CACHED = 10_000;

    /** A key just made: the secret is not stored anywhere and cannot be shown again. */
    public record Created(ApiKey key, String secret) {
    }

    private record Cached(Principal principal, byte[] hash, long expiresAtNanos) {
    }

    private final ApiKeyStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeys(ApiKeyStore store, AuditLog audit, Clock clock, SecureRandom random) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Makes a key.
     *
     * @throws IllegalArgumentException for a name that is not allowed or already taken by a live key
     */
    public Created create(String name, Role role, String actor) {
        checkName(name);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey k = store.insert(name, role.id(), hash(secret), secret.substring(0, 8), actor, clock.instant());
        audit.append(actor, "key.create", "key:" + name, null, describe(k), null);
        return new Created(k, secret);
    }

    /** Revokes the live key named {@code name}; returns it as it was. */
    public ApiKey revoke(String name, String actor) {
        ApiKey before = store.revoke(name, actor, clock.instant()).orElseThrow(() -> new IllegalArgumentException(
                "there is no live key named '" + name + "' (riskloop keys list shows them)"));
        cache.clear(); // at least this server stops trusting it at once
        audit.append(actor, "key.revoke", "key:" + name, describe(before), null, null);
        return before;
    }

    public List<ApiKey> list(boolean includeRevoked) {
        return store.list(includeRevoked);
    }

    /** The principal a presented key stands for, or empty when it is no live key. */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null || presented.length() < MIN_KEY_LENGTH || presented.length() > 200) {
            return Optional.empty();
        }
        String h = hash(presented);
        byte[] hb = h.getBytes(StandardCharsets.US_ASCII);
        long now = System.nanoTime();
        Cached c = cache.get(h);
        if (c != null && now - c.expiresAtNanos() < 0) {
            return MessageDigest.isEqual(c.hash(), hb) ? Optional.of(c.principal()) : Optional.empty();
        }
        Optional<ApiKey> k = store.findLiveByHash(h);
        if (k.isEmpty()) {
            cache.remove(h);
            return Optional.empty();
        }
        Principal p = new Principal(k.get().name(), Role.parse(k.get().role()));
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(h, new Cached(p, hb, now + CACHE_FOR.toNanos()));
        return Optional.of(p);
    }

    /**
     * Makes sure there is a way in. With {@code envKey} (the value of {@value #ADMIN_KEY_ENV}) set, that key is an
     * admin key named "admin" (registered if it is not yet). Without it, when no live admin key exists, one is made
     * and returned: the caller prints it once. Otherwise nothing is made.
     *
     * @return the admin key made now, to be shown once
     * @throws IllegalArgumentException when {@code envKey} is too short to be safe
     */
    public Optional<String> bootstrapAdmin(String envKey) {
        if (envKey != null && !envKey.isBlank()) {
            String key = envKey.strip();
            if (key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException(ADMIN_KEY_ENV + " must be at least " + MIN_KEY_LENGTH
                        + " characters of random data (e.g. from 'openssl rand -base64 32'), was " + key.length());
            }
            if (store.findLiveByHash(hash(key)).isEmpty()) {
                String name = store.findLiveByName("admin").isPresent() ? "admin-env-" + clock.millis() : "admin";
                ApiKey k = store.insert(name, Role.ADMIN.id(), hash(key), key.substring(0, Math.min(8, key.length())),
                        "riskloop", clock.instant());
                audit.append("riskloop", "key.create", "key:" + name, null, describe(k), "from " + ADMIN_KEY_ENV);
            }
            return Optional.empty();
        }
        if (store.countLive(Role.ADMIN.id()) > 0) {
            return Optional.empty();
        }
        String name = store.findLiveByName("admin").isPresent() ? "admin-" + clock.millis() : "admin";
        return Optional.of(create(name, Role.ADMIN, "riskloop").secret());
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a key name is 1 to 100 letters, digits, '.', '_', '@' or '-',"
                    + " starting with a letter or digit; was '" + name + "'");
        }
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    });

    /** The hex SHA-256 of a key: what the database keeps. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static String describe(ApiKey k) {
        return "{\"name\":" + quote(k.name()) + ",\"role\":" + quote(k.role()) + ",\"prefix\":" + quote(k.prefix())
                + ",\"revoked\":" + !k.live() + "}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
