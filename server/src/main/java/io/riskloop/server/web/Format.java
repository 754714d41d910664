package io.riskloop.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.riskloop.model.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the web app shows values: times in UTC, scores to three places, amounts to two. */
public final class Format {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    public static String score(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    public static String score(Double s) {
        return s == null ? "" : score(s.doubleValue());
    }

    /** A score's band, for its colour: high (decline territory), mid (review), low. */
    public static String band(double s) {
        return s >= 0.9 ? "high" : s >= 0.5 ? "mid" : "low";
    }

    public static String amount(double a) {
        return String.format(Locale.ROOT, "%,.2f", a);
    }

    public static String percent(double p) {
        return Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * p);
    }

    public static String number(Double v) {
        if (v == null) {
            return "missing";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.format(Locale.ROOT, "%d", v.longValue());
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    public static String signed(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%+.4f", v);
    }

    /** A path segment, percent-encoded (ids may hold any character). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A label's name. */
    public static String label(Boolean fraud) {
        return fraud == null ? "unlabelled" : fraud ? "fraud" : "legitimate";
    }

    /**
     * JSON for a {@code <script type="application/json">} element: every '<' escaped, so that no string in the data
     * can close the element.
     */
    public static String scriptJson(Object o) {
        try {
            return Json.mapper().writeValueAsString(o).replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
