package io.riskloop.core.features;

import io.riskloop.core.domain.Transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * The card's spending in windows of w days: number of transactions and their average amount in (t - w, t],
 * the current transaction included. Optionally also the ratio of the current amount to the longest window's
 * average.
 */
public final class CardSpending implements FeatureGroup<EventWindow> {

    private static final long DAY_MS = 86_400_000L;

    private final String prefix;
    private final int[] windowDays;
    private final boolean amountRatio;
    private final List<String> names;

    public CardSpending(String prefix, int[] windowDays, boolean amountRatio) {
        this.prefix = prefix;
        this.windowDays = windowDays.clone();
        this.amountRatio = amountRatio;
        List<String> n = new ArrayList<>();
        for (int w : windowDays) {
            n.add(prefix + "_NB_TX_" + w + "DAY_WINDOW");
            n.add(prefix + "_AVG_AMOUNT_" + w + "DAY_WINDOW");
        }
        if (amountRatio) {
            n.add(prefix + "_AMOUNT_RATIO_" + windowDays[windowDays.length - 1] + "DAY");
        }
        this.names = List.copyOf(n);
    }

    @Override
    public Entity entity() {
        return Entity.CARD;
    }

    /** Counts are whole numbers; average amounts and the amount ratio are not negative. */
    @Override
    public ValueRange range(int i) {
        return i < 2 * windowDays.length && i % 2 == 0 ? ValueRange.COUNT : ValueRange.NON_NEGATIVE;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public String key(Transaction tx) {
        return tx.cardId();
    }

    @Override
    public EventWindow newState() {
        return new EventWindow();
    }

    @Override
    public void apply(EventWindow w, Transaction tx, double[] out, int offset) {
        long t = tx.timestamp().toEpochMilli();
        int longest = windowDays[windowDays.length - 1];
        w.evictBefore(t - longest * DAY_MS);
        w.add(t, tx.amountCents(), EventWindow.hashId(tx.id()));
        int to = w.upperBound(t);
        double lastAvg = 0;
        for (int i = 0; i < windowDays.length; i++) {
            int from = w.upperBound(t - windowDays[i] * DAY_MS);
            int n = to - from;
            double avg = n == 0 ? 0.0 : w.sumCents(from, to) / (double) n / 100.0;
            out[offset + 2 * i] = n;
            out[offset + 2 * i + 1] = avg;
            lastAvg = avg;
        }
        if (amountRatio) {
            out[offset + 2 * windowDays.length] = lastAvg == 0 ? 0.0 : tx.amount() / lastAvg;
        }
    }

    @Override
    public String toString() {
        return prefix + " spending " + java.util.Arrays.toString(windowDays);
    }
}
