package io.riskloop.server.auth;

import io.javalin.security.RouteRole;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a key may do. Analysts read transactions, label them and read models; services (the systems that send
 * transactions) score, ingest and label; admins do everything, including keys and model promotion.
 */
public enum Role implements RouteRole {
    ANALYST, ADMIN, SERVICE;

    /** The name used in the API, the CLI and the database: lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the roles there are */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(s == null ? "" : s.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("role '" + s + "' is not one of "
                + Arrays.stream(values()).map(Role::id).toList());
    }
}
