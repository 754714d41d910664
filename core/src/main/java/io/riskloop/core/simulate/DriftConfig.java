package io.riskloop.core.simulate;

/**
 * Changes of behaviour from a given day on, for testing drift detection and retraining.
 *
 * <ul>
 *   <li>{@code amountScale}: every customer's amounts are multiplied by this factor (1 = no change).</li>
 *   <li>{@code cardTestingPerDay}: each day, this many random cards are used for a burst of small
 *       card-testing transactions (amounts 0.50 to 3.00, 5 to 15 within 10 minutes) on terminals that did not
 *       exist before the drift day. Labelled fraud, scenario 4.</li>
 * </ul>
 *
 * @param fromDay           first day (0-based) the drift applies to; negative means no drift
 * @param amountScale       multiplier of the customers' spending from that day on
 * @param cardTestingPerDay number of card-testing bursts per day from that day on
 */
public record DriftConfig(int fromDay, double amountScale, int cardTestingPerDay) {

    public static final DriftConfig NONE = new DriftConfig(-1, 1.0, 0);

    /** Number of extra terminals the card-testing pattern uses; they are numbered after the regular ones. */
    public static final int CARD_TESTING_TERMINALS = 20;

    public DriftConfig {
        if (!(amountScale > 0) || Double.isInfinite(amountScale)) {
            throw new IllegalArgumentException("amount scale must be a positive number, was " + amountScale);
        }
        if (cardTestingPerDay < 0) {
            throw new IllegalArgumentException("card-testing bursts per day must be >= 0, was " + cardTestingPerDay);
        }
    }

    public boolean enabled() {
        return fromDay >= 0 && (amountScale != 1.0 || cardTestingPerDay > 0);
    }

    public boolean appliesTo(int day) {
        return enabled() && day >= fromDay;
    }
}
