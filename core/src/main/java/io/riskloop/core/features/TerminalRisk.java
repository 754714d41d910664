package io.riskloop.core.features;

import io.riskloop.core.domain.LabelEvent;
import io.riskloop.core.domain.Transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * A terminal's recent fraud rate, delayed because labels come late: for windows of w days, the number of the
 * terminal's transactions in [t - (d + w), t - d) and the fraction of them known to be fraud at time t (0 when
 * there are none), with d the delay in days.
 *
 * <p>"Known at time t" is literal: a transaction counts as fraud only once its {@link LabelEvent} has been
 * applied, and the replay applies a label only when its {@code knownAt} has passed. So this group never sees
 * the future, offline or online.
 */
public final class TerminalRisk implements FeatureGroup<EventWindow> {

    private static final long DAY_MS = 86_400_000L;

    private final String prefix;
    private final int delayDays;
    private final int[] windowDays;
    private final List<String> names;

    public TerminalRisk(String prefix, int delayDays, int[] windowDays) {
        this.prefix = prefix;
        this.delayDays = delayDays;
        this.windowDays = windowDays.clone();
        List<String> n = new ArrayList<>();
        for (int w : windowDays) {
            n.add(prefix + "_NB_TX_" + w + "DAY_WINDOW");
            n.add(prefix + "_RISK_" + w + "DAY_WINDOW");
        }
        this.names = List.copyOf(n);
    }

    @Override
    public Entity entity() {
        return Entity.TERMINAL;
    }

    /** Counts are whole numbers; a risk is the share of known frauds among the window's transactions. */
    @Override
    public ValueRange range(int i) {
        return i % 2 == 0 ? ValueRange.COUNT : ValueRange.UNIT;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public String key(Transaction tx) {
        return tx.terminalId();
    }

    @Override
    public String key(LabelEvent label) {
        return label.terminalId();
    }

    @Override
    public EventWindow newState() {
        return new EventWindow();
    }

    @Override
    public void apply(EventWindow w, Transaction tx, double[] out, int offset) {
        long t = tx.timestamp().toEpochMilli();
        long delay = delayDays * DAY_MS;
        w.evictBefore(t - delay - windowDays[windowDays.length - 1] * DAY_MS);
        int to = w.lowerBound(t - delay);
        for (int i = 0; i < windowDays.length; i++) {
            int from = w.lowerBound(t - delay - windowDays[i] * DAY_MS);
            int n = to - from;
            out[offset + 2 * i] = n;
            out[offset + 2 * i + 1] = n == 0 ? 0.0 : w.frauds(from, to) / (double) n;
        }
        w.add(t, tx.amountCents(), EventWindow.hashId(tx.id()));
    }

    @Override
    public void label(EventWindow w, LabelEvent label) {
        w.label(label.transactionTime().toEpochMilli(), EventWindow.hashId(label.transactionId()), label.fraud());
    }

    @Override
    public String toString() {
        return prefix + " risk, delay " + delayDays + " days, windows " + java.util.Arrays.toString(windowDays);
    }
}
