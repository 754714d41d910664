package io.riskloop.server.web;

import io.riskloop.server.auth.Principal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web app's sessions, made at log-in with an API key: an unguessable token in an HttpOnly, SameSite=Strict
 * cookie, and a CSRF token that every form and htmx request carries back. Sessions are in memory: a restart
 * logs everyone out, and several servers behind one address need sticky sessions.
 */
public final class Sessions {

    /** Idle time after which a session ends. */
    public static final Duration IDLE = Duration.ofMinutes(30);
    /** Time after which a session ends however busy. */
    public static final Duration MAX_AGE = Duration.ofHours(12);

    /** A logged-in person. */
    public record Session(String token, Principal principal, String csrf, Instant createdAt, Instant lastSeen) {
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final SecureRandom random;

    public Sessions(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    public Session open(Principal p) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        Session s = new Session(token(), p, token(), now, now);
        sessions.put(s.token(), s);
        return s;
    }

    /** The live session with this token, its idle time reset. */
    public Optional<Session> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = sessions.get(token);
        Instant now = clock.instant();
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            sessions.remove(token);
            return Optional.empty();
        }
        Session touched = new Session(s.token(), s.principal(), s.csrf(), s.createdAt(), now);
        sessions.put(token, touched);
        return Optional.of(touched);
    }

    public void close(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    /** Ends every session of a key's holder (e.g. after the key was revoked). */
    public void closeAll(String name) {
        sessions.values().removeIf(s -> s.principal().name().equals(name));
    }

    /** Constant-time comparison of a presented CSRF token with the session's. */
    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private boolean expired(Session s, Instant now) {
        return s.lastSeen().plus(IDLE).isBefore(now) || s.createdAt().plus(MAX_AGE).isBefore(now);
    }

    String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
