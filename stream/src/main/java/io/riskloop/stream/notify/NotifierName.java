package io.riskloop.stream.notify;

import java.util.regex.Pattern;

/** The rule for notifier names: they appear in routing, thread names, counters and dead-letter records. */
final class NotifierName {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private NotifierName() {
    }

    static String check(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(kind + " name '" + name + "' must be 1 to 64 lower-case letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
