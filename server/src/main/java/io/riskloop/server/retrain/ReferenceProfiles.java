package io.riskloop.server.retrain;

import io.riskloop.core.drift.ReferenceProfile;
import io.riskloop.core.features.FeatureMatrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference profile (docs/drift.md) every model riskloop trains carries beside its model file, as {@value #FILE}
 * in the model directory and so under {@code model/} in its run's artifacts: what live traffic is compared with.
 */
public final class ReferenceProfiles {

    public static final String FILE = "reference-profile.bin";

    private ReferenceProfiles() {
    }

    /** Profiles {@code data} (the training rows) and the model's {@code scores} on them into {@code modelDir}. */
    public static void write(Path modelDir, String model, FeatureMatrix data, double[] scores) {
        ReferenceProfile p = ReferenceProfile.builder().modelVersion(model).build(data, scores);
        try {
            Files.createDirectories(modelDir);
            Files.write(modelDir.resolve(FILE), p.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reference profile to " + modelDir + ": " + e.getMessage(), e);
        }
    }
}
