package io.riskloop.core.simulate;

/**
 * What a simulation produced.
 *
 * @param transactions     number of transactions
 * @param frauds           number of fraudulent transactions
 * @param scenarioCounts   frauds per final scenario, index 1..4 (index 0 unused)
 * @param days             simulated days
 * @param defraudedCardDays sum over days of the number of cards with at least one fraud that day
 */
public record SimulationSummary(long transactions, long frauds, long[] scenarioCounts, int days,
                                long defraudedCardDays) {

    public double fraudRate() {
        return transactions == 0 ? 0.0 : (double) frauds / transactions;
    }

    public double transactionsPerDay() {
        return (double) transactions / days;
    }

    public double fraudsPerDay() {
        return (double) frauds / days;
    }

    public double defraudedCardsPerDay() {
        return (double) defraudedCardDays / days;
    }

    public long scenario(int s) {
        return s < scenarioCounts.length ? scenarioCounts[s] : 0;
    }

    /** A few lines for a terminal. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("transactions      %,d (%.0f per day)%n", transactions, transactionsPerDay()));
        sb.append(String.format("frauds            %,d (%.3f %%, %.1f per day, %.1f defrauded cards per day)%n",
                frauds, 100 * fraudRate(), fraudsPerDay(), defraudedCardsPerDay()));
        sb.append(String.format("by scenario       1: %,d  2: %,d  3: %,d", scenario(1), scenario(2), scenario(3)));
        if (scenario(4) > 0) {
            sb.append(String.format("  4 (card testing): %,d", scenario(4)));
        }
        return sb.append(System.lineSeparator()).toString();
    }
}
