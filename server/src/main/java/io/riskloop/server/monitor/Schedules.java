package io.riskloop.server.monitor;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/** Cron expressions (Unix, five fields, UTC) for scheduled retraining, read by cron-utils. */
final class Schedules {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private Schedules() {
    }

    static Cron parse(String expression) {
        try {
            return PARSER.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("retraining schedule '" + expression + "' is not a Unix cron expression"
                    + " (minute hour day-of-month month day-of-week, e.g. '0 3 * * 1'): " + e.getMessage(), e);
        }
    }

    /** Whether a scheduled time falls in ({@code after}, {@code upTo}]. */
    static boolean dueBetween(Cron cron, Instant after, Instant upTo) {
        Optional<ZonedDateTime> next = ExecutionTime.forCron(cron).nextExecution(after.atZone(ZoneOffset.UTC));
        return next.isPresent() && !next.get().toInstant().isAfter(upTo);
    }
}
