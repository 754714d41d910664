package io.riskloop.registry.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Files stored once under the SHA-256 of their bytes ({@code <root>/ab/cdef...}), so a model saved by two runs,
 * or a report unchanged between runs, takes its space once, and a file's name says whether its bytes are intact.
 * Writes go to a temporary file first and are moved into place, so a reader never sees half a file.
 */
public final class ArtifactStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A stored file: its hash and size. */
    public record Stored(String sha256, long size) {
    }

    private final Path root;

    public ArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Stores the file's bytes (if not stored yet) and returns their hash and size. */
    public Stored put(Path file) {
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempFile(root, ".incoming-", ".tmp");
            try {
                MessageDigest md = sha256();
                long size;
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
                    size = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                String sha = HexFormat.of().formatHex(md.digest());
                Path target = path(sha);
                if (!Files.exists(target)) {
                    Files.createDirectories(target.getParent());
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, target);
                    } catch (FileAlreadyExistsException e) {
                        // stored meanwhile by another writer: same bytes
                    }
                }
                return new Stored(sha, size);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot store " + file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + file + " in the artifact store " + root + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where the bytes of {@code sha256} are (or would be). */
    public Path path(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 in hex: '" + sha256 + "'");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    /**
     * Copies the bytes of {@code sha256} to {@code target}, checking them against their hash on the way: a store
     * whose file was changed or truncated is reported, not passed on.
     */
    public void copyTo(String sha256, Path target) {
        Path source = path(sha256);
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            MessageDigest md = sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), md)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(sha256)) {
                Files.deleteIfExists(target);
                throw new IllegalStateException("the artifact store's file " + source + " is damaged: its SHA-256 is "
                        + actual + ". Restore it from a backup or re-run what produced it.");
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("artifact " + sha256 + " is missing from the artifact store " + root
                    + ": was the store moved? Point --data-dir (or --artifacts) at it.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy artifact " + sha256 + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Opens the bytes of {@code sha256} for reading. */
    public InputStream open(String sha256) throws IOException {
        return Files.newInputStream(path(sha256));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
