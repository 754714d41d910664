package io.riskloop.registry.tracking;

import io.riskloop.registry.RegistryException;

import java.util.Arrays;
import java.util.Locale;

/** MLflow's run states. */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED;

    public static RunStatus parse(String s, String field) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw RegistryException.invalid(field, field + " '" + s + "' is not a run status: use one of "
                    + Arrays.toString(values()));
        }
    }

    public boolean ended() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
