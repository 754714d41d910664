package io.riskloop.core.features;

import io.riskloop.core.domain.Transaction;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Per-transaction features of the Sparkov layout: merchant category (its index in Sparkov's fixed list, -1 for
 * an unknown one), cardholder age in years, home-to-merchant distance in km (haversine), log10 of the city
 * population.
 */
public final class SparkovProfile extends StatelessGroup {

    /** Sparkov's merchant categories, in a fixed order that the feature value refers to. */
    public static final List<String> CATEGORIES = List.of("entertainment", "food_dining", "gas_transport",
            "grocery_net", "grocery_pos", "health_fitness", "home", "kids_pets", "misc_net", "misc_pos",
            "personal_care", "shopping_net", "shopping_pos", "travel");

    private static final double EARTH_RADIUS_KM = 6371.0088;

    public SparkovProfile() {
        super(List.of("CATEGORY", "AGE_YEARS", "HOME_MERCHANT_KM", "LOG10_CITY_POP"));
    }

    @Override
    protected void compute(Transaction tx, double[] out, int offset) {
        String category = tx.attributes().get("category");
        out[offset] = category == null ? -1 : CATEGORIES.indexOf(category);
        out[offset + 1] = age(tx);
        out[offset + 2] = haversineKm(tx.numericAttribute("lat"), tx.numericAttribute("long"),
                tx.numericAttribute("merch_lat"), tx.numericAttribute("merch_long"));
        double pop = tx.numericAttribute("city_pop");
        out[offset + 3] = pop > 0 ? Math.log10(pop) : Double.NaN;
    }

    private static double age(Transaction tx) {
        String dob = tx.attributes().get("dob");
        if (dob == null) {
            return Double.NaN;
        }
        try {
            LocalDate birth = LocalDate.parse(dob);
            return ChronoUnit.DAYS.between(birth, tx.timestamp().atZone(ZoneOffset.UTC).toLocalDate()) / 365.25;
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }

    static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
