package io.riskloop.registry.tracking;

/** A file of a run: its path in the run and its bytes in the artifact store. */
public record RunArtifact(String path, String sha256, long size) {
}
