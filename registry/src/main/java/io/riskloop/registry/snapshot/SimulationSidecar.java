package io.riskloop.registry.snapshot;

import io.riskloop.core.dataset.Dataset;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.model.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The simulator's parameters kept beside the file they produced ({@code <file>.simulation.json}), with the file's
 * SHA-256, so that a snapshot registered from the file later traces back to the simulation, and only while the
 * file is still the one the simulator wrote.
 */
public record SimulationSidecar(SimulationConfig config, String fileSha256) {

    /** The record for a file the simulator just wrote. */
    public static SimulationSidecar of(SimulationConfig config, Path data) {
        try (var in = new java.security.DigestInputStream(Files.newInputStream(data),
                java.security.MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new SimulationSidecar(config, java.util.HexFormat.of().formatHex(in.getMessageDigest().digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + data + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public static Path pathFor(Path data) {
        return data.resolveSibling(data.getFileName() + ".simulation.json");
    }

    public void write(Path data) {
        try {
            Json.mapper().writeValue(pathFor(data).toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pathFor(data) + ": " + e.getMessage(), e);
        }
    }

    public static Optional<SimulationSidecar> read(Path data) {
        Path p = pathFor(data);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(p.toFile(), SimulationSidecar.class));
        } catch (IOException e) {
            throw new UncheckedIOException(p + " is not a readable simulation record (" + e.getMessage()
                    + "): delete it, or simulate the file again", e);
        }
    }

    /**
     * The origin of a data set read from a file: the simulation, when a sidecar describes this very file, else
     * the file itself.
     */
    public static SnapshotOrigin originOf(Dataset d) {
        Optional<SimulationSidecar> s = read(d.source());
        if (s.isPresent() && s.get().fileSha256().equals(d.sha256())) {
            return new SnapshotOrigin.Simulator(s.get().config(), d.source().toString(), d.sha256());
        }
        return new SnapshotOrigin.ImportFile(d.source().toString(), d.sha256(), d.format().cliName());
    }
}
