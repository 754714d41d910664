package io.riskloop.core.features;

/**
 * The values a feature can take by construction (a count is a whole number and never negative, a fraud rate lies in
 * [0, 1]), against which stored or imported feature values are validated. Both ends are included; missing values
 * (NaN) are not judged here.
 *
 * @param integral whether only whole numbers are possible
 */
public record ValueRange(double min, double max, boolean integral) {

    public static final ValueRange ANY = new ValueRange(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);
    public static final ValueRange NON_NEGATIVE = new ValueRange(0, Double.POSITIVE_INFINITY, false);
    public static final ValueRange COUNT = new ValueRange(0, Double.POSITIVE_INFINITY, true);
    /** A share or a rate. */
    public static final ValueRange UNIT = new ValueRange(0, 1, false);
    /** 0 or 1. */
    public static final ValueRange FLAG = new ValueRange(0, 1, true);

    public ValueRange {
        if (!(min <= max)) {
            throw new IllegalArgumentException("a value range needs min <= max, got [" + min + ", " + max + "]");
        }
    }

    /** Whether {@code v} is a value of this range (false for NaN). */
    public boolean contains(double v) {
        return v >= min && v <= max && (!integral || v == Math.rint(v));
    }

    @Override
    public String toString() {
        return (integral ? "whole numbers in [" : "[") + bound(min) + ", " + bound(max) + "]";
    }

    private static String bound(double b) {
        return Double.isInfinite(b) ? (b > 0 ? "inf" : "-inf") : b == Math.rint(b) ? Long.toString((long) b) : Double.toString(b);
    }
}
