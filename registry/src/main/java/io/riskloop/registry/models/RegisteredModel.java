package io.riskloop.registry.models;

import java.time.Instant;
import java.util.Map;

/**
 * A named model whose versions the registry keeps.
 *
 * @param aliases       alias name to version number, e.g. champion -> 3
 * @param latestVersion the highest version number, or null before the first version
 */
public record RegisteredModel(long id, String name, String description, Instant createdAt, Instant updatedAt,
                              String createdBy, Map<String, String> tags, Map<String, Integer> aliases,
                              Integer latestVersion) {
    public RegisteredModel {
        tags = Map.copyOf(tags);
        aliases = Map.copyOf(aliases);
    }
}
