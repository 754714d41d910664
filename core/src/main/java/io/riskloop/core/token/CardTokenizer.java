package io.riskloop.core.token;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Turns a card number (PAN) into a stable token with a keyed HMAC-SHA256, so that no raw card number is ever
 * stored or logged. The same key always gives the same token for the same card; without the key the token
 * reveals nothing about the number. Thread-safe.
 */
public final class CardTokenizer {

    /** Environment variable holding the tokenisation key (hex, at least 32 bytes). */
    public static final String KEY_ENV = "RISKLOOP_TOKEN_KEY";
    /** Prefix of every token, so that tokens are never mistaken for card numbers. */
    public static final String PREFIX = "tok_";
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public CardTokenizer(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the card tokenisation key must be at least " + MIN_KEY_BYTES + " bytes, was " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * The key from {@value #KEY_ENV} if set, else from {@code keyFile}, which is created with a fresh random
     * key (readable by the owner only) when it does not exist.
     */
    public static CardTokenizer fromEnvironmentOrFile(Path keyFile) {
        String env = System.getenv(KEY_ENV);
        if (env != null && !env.isBlank()) {
            return new CardTokenizer(parseHex(env.strip(), KEY_ENV));
        }
        try {
            if (Files.exists(keyFile)) {
                return new CardTokenizer(parseHex(Files.readString(keyFile).strip(), keyFile.toString()));
            }
            byte[] fresh = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            Path parent = keyFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(keyFile, HexFormat.of().formatHex(fresh) + "\n");
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: nothing more to restrict
            }
            return new CardTokenizer(fresh);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the card tokenisation key file " + keyFile, e);
        }
    }

    private static byte[] parseHex(String hex, String source) {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the card tokenisation key in " + source
                    + " must be hexadecimal (64 hex digits or more), e.g. from 'openssl rand -hex 32'", e);
        }
    }

    /** The token of a card number; spaces and dashes in the number are ignored. */
    public String tokenize(String cardNumber) {
        String digits = normalise(cardNumber);
        byte[] mac = macs.get().doFinal(digits.getBytes(StandardCharsets.US_ASCII));
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(mac, 16));
    }

    /** Whether the value looks like a card number (12 to 19 digits, spaces and dashes allowed). */
    public static boolean looksLikeCardNumber(String value) {
        if (value == null) {
            return false;
        }
        String digits = value.replace(" ", "").replace("-", "");
        return digits.length() >= 12 && digits.length() <= 19 && digits.chars().allMatch(Character::isDigit);
    }

    private static String normalise(String cardNumber) {
        if (!looksLikeCardNumber(cardNumber)) {
            throw new IllegalArgumentException("not a card number: expected 12 to 19 digits");
        }
        return cardNumber.replace(" ", "").replace("-", "");
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
