package io.riskloop.core.features;

import io.riskloop.core.domain.Transaction;

import java.time.DayOfWeek;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The amount and the time of day, in UTC: TX_AMOUNT, TX_DURING_WEEKEND (Saturday or Sunday), TX_DURING_NIGHT
 * (hour of day at most 6, i.e. 00:00:00 to 06:59:59) and, optionally, TX_HOUR (0 to 23).
 */
public final class TransactionBasics extends StatelessGroup {

    private final boolean hour;

    public TransactionBasics(boolean withHour) {
        super(withHour ? List.of("TX_AMOUNT", "TX_DURING_WEEKEND", "TX_DURING_NIGHT", "TX_HOUR")
                : List.of("TX_AMOUNT", "TX_DURING_WEEKEND", "TX_DURING_NIGHT"));
        this.hour = withHour;
    }

    @Override
    public ValueRange range(int i) {
        return switch (i) {
            case 0 -> ValueRange.NON_NEGATIVE;
            case 1, 2 -> ValueRange.FLAG;
            default -> new ValueRange(0, 23, true);
        };
    }

    @Override
    protected void compute(Transaction tx, double[] out, int offset) {
        ZonedDateTime t = tx.timestamp().atZone(ZoneOffset.UTC);
        DayOfWeek d = t.getDayOfWeek();
        out[offset] = tx.amount();
        out[offset + 1] = d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? 1 : 0;
        out[offset + 2] = t.getHour() <= 6 ? 1 : 0;
        if (hour) {
            out[offset + 3] = t.getHour();
        }
    }
}
