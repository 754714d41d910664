package io.riskloop.core.features;

import io.riskloop.core.domain.Transaction;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SparkovProfileTest {

    @Test
    void computesCategoryAgeDistanceAndPopulation() {
        Transaction tx = new Transaction("t", Instant.parse("2020-06-15T12:00:00Z"), "tok_x", "m", 10,
                Map.of("category", "grocery_pos", "dob", "1980-06-15", "lat", "48.8566", "long", "2.3522",
                        "merch_lat", "51.5074", "merch_long", "-0.1278", "city_pop", "10000"));
        double[] out = new double[4];
        new SparkovProfile().compute(tx, out, 0);
        assertThat(out[0]).isEqualTo(SparkovProfile.CATEGORIES.indexOf("grocery_pos"));
        assertThat(out[1]).isCloseTo(40.0, within(0.01));
        assertThat(out[2]).isCloseTo(343.5, within(1.0)); // Paris to London
        assertThat(out[3]).isEqualTo(4.0);
    }

    @Test
    void missingOrUnknownValuesBecomeMissingNotErrors() {
        Transaction tx = new Transaction("t", Instant.parse("2020-06-15T12:00:00Z"), "tok_x", "m", 10,
                Map.of("category", "space_travel", "dob", "not-a-date"));
        double[] out = new double[4];
        new SparkovProfile().compute(tx, out, 0);
        assertThat(out[0]).isEqualTo(-1);
        assertThat(out[1]).isNaN();
        assertThat(out[2]).isNaN();
        assertThat(out[3]).isNaN();
    }

    @Test
    void sparkovFeatureSetHasOneValuePerName() {
        Transaction tx = new Transaction("t", Instant.parse("2020-06-15T12:00:00Z"), "tok_x", "m", 10,
                Map.of("category", "home"));
        double[] v = FeatureSet.SPARKOV.newEngine().apply(tx);
        assertThat(v).hasSize(FeatureSet.SPARKOV.names().size());
        assertThat(FeatureSet.SPARKOV.names()).contains("CARD_AMOUNT_RATIO_30DAY", "MERCHANT_RISK_7DAY_WINDOW", "TX_HOUR");
        // first transaction of the card: the amount equals the 30-day average
        assertThat(v[FeatureSet.SPARKOV.names().indexOf("CARD_AMOUNT_RATIO_30DAY")]).isEqualTo(1.0);
    }
}
