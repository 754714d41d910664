package io.riskloop.cli;

import io.riskloop.stream.DecisionPolicy;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The decision policy: score thresholds and the rules on top of them. `process` and `serve` share it, so that the
 * API's /score decides as the pipeline does; give both the same values. Long lists fit in an argument file
 * ({@code riskloop process @rules.txt}, one option per line) or in the {@code RISKLOOP_*} variables, comma-separated.
 */
final class PolicyOptions {

    @Option(names = "--review-threshold", defaultValue = "0.5",
            description = "Score that sends a transaction to review, default ${DEFAULT-VALUE}.")
    double reviewThreshold;

    @Option(names = "--decline-threshold", defaultValue = "0.9", description = "Score that declines, default ${DEFAULT-VALUE}.")
    double declineThreshold;

    @Option(names = "--allow-card", split = ",", paramLabel = "TOKEN",
            description = "Card token whose transactions are always approved, whatever the score and the other rules"
                    + " (repeat the option or separate with commas).")
    List<String> allowCards = new ArrayList<>();

    @Option(names = "--block-card", split = ",", paramLabel = "TOKEN",
            description = "Card token whose transactions are always declined (repeat or separate with commas).")
    List<String> blockCards = new ArrayList<>();

    @Option(names = "--block-terminal", split = ",", paramLabel = "ID",
            description = "Terminal whose transactions are always declined (repeat or separate with commas).")
    List<String> blockTerminals = new ArrayList<>();

    @Option(names = "--review-amount", paramLabel = "AMOUNT",
            description = "Amount at or above which a transaction is reviewed whatever its score; default: no limit.")
    Double reviewAmount;

    @Option(names = "--decline-amount", paramLabel = "AMOUNT",
            description = "Amount at or above which a transaction is declined whatever its score; default: no limit.")
    Double declineAmount;

    /** The policy these options describe; a contradiction (a card both allowed and blocked) is refused. */
    DecisionPolicy policy() {
        List<String> both = allowCards.stream().filter(blockCards::contains).toList();
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("--allow-card and --block-card both name " + both
                    + "; a card can be on one list only");
        }
        double review = reviewAmount == null ? Double.POSITIVE_INFINITY : reviewAmount;
        double decline = declineAmount == null ? Double.POSITIVE_INFINITY : declineAmount;
        if (reviewAmount != null && declineAmount != null && review > decline) {
            throw new IllegalArgumentException("--review-amount " + review + " is above --decline-amount " + decline
                    + ": every amount it would review is declined already");
        }
        return new DecisionPolicy(reviewThreshold, declineThreshold, Set.copyOf(allowCards), Set.copyOf(blockCards),
                Set.copyOf(blockTerminals), review, decline);
    }
}
