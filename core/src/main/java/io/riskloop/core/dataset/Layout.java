package io.riskloop.core.dataset;

import de.siegmar.fastcsv.reader.CsvRecord;
import io.riskloop.core.domain.LabeledTransaction;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Maps the rows of one CSV layout to labelled transactions. One instance per file. */
abstract class Layout {

    private final Map<String, String> interned = new HashMap<>();

    /** Binds column positions from the header; throws a DatasetException naming what is missing. */
    abstract void bind(List<String> header, String file);

    abstract LabeledTransaction parse(CsvRecord row, long dataRow) throws BadValue;

    /** The column the transaction id comes from, named when an id occurs twice. */
    abstract String idColumn();

    /** Columns whose values must not leave the reader (personal data): blanked in the rejects file. */
    Set<Integer> personalColumns() {
        return Set.of();
    }

    /**
     * The row as it goes to the rejects file: any field that looks like a card number is replaced by a marker,
     * and personal columns are blanked, so that setting a row aside never stores what riskloop refuses to store.
     */
    final String rawForRejects(CsvRecord row) {
        List<String> fields = new java.util.ArrayList<>(row.getFields());
        Set<Integer> personal = personalColumns();
        for (int i = 0; i < fields.size(); i++) {
            if (personal.contains(i)) {
                fields.set(i, "");
            } else if (io.riskloop.core.token.CardTokenizer.looksLikeCardNumber(fields.get(i).strip())
                    && fields.get(i).replace(" ", "").replace("-", "").strip().length() >= 13) {
                fields.set(i, REDACTED_CARD);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (i > 0) {
                sb.append(',');
            }
            boolean quote = f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0;
            sb.append(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
        }
        return sb.toString();
    }

    static final String REDACTED_CARD = "[card number removed]";

    /** The same String instance for equal ids, so millions of rows share a few thousand card and terminal ids. */
    final String intern(String s) {
        String prior = interned.putIfAbsent(s, s);
        return prior == null ? s : prior;
    }

    static int column(List<String> header, String name, String file, DatasetFormat format) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).strip().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new DatasetException(file + ":1: the " + format.cliName() + " layout needs a column '" + name
                + "', the header has " + header);
    }

    static String text(CsvRecord row, int index, String column) throws BadValue {
        String v = row.getField(index).strip();
        if (v.isEmpty()) {
            throw new BadValue(column, "empty; a value is required");
        }
        return v;
    }

    static double number(CsvRecord row, int index, String column) throws BadValue {
        String v = text(row, index, column);
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new BadValue(column, "not a finite number: '" + v + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadValue(column, "not a number: '" + v + "'");
        }
    }

    static double amount(CsvRecord row, int index, String column) throws BadValue {
        double a = number(row, index, column);
        if (a < 0) {
            throw new BadValue(column, "negative amount " + a + "; amounts must be >= 0");
        }
        if (a >= 1e12) {
            throw new BadValue(column, "amount " + a + " is out of range (must be below 1e12)");
        }
        return a;
    }

    static boolean label(CsvRecord row, int index, String column) throws BadValue {
        String v = text(row, index, column).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "1", "1.0", "true" -> true;
            case "0", "0.0", "false" -> false;
            default -> throw new BadValue(column, "not a label: '" + v + "'; expected 0 or 1");
        };
    }

    static int integer(CsvRecord row, int index, String column, int min, int max) throws BadValue {
        String v = text(row, index, column);
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new BadValue(column, i + " is out of range [" + min + ", " + max + "]");
            }
            return i;
        } catch (NumberFormatException e) {
            throw new BadValue(column, "not an integer: '" + v + "'");
        }
    }

    /** ISO-8601 with offset ("2018-04-01T00:07:56Z"), or a local date-time taken as UTC ("2018-04-01 00:07:56"). */
    static Instant timestamp(CsvRecord row, int index, String column) throws BadValue {
        String v = text(row, index, column);
        Instant fast = fastUtcSeconds(v);
        if (fast != null) {
            return fast;
        }
        try {
            if (v.endsWith("Z") || v.endsWith("z")) {
                return Instant.parse(v.toUpperCase(Locale.ROOT).replace(' ', 'T'));
            }
            if (v.length() > 19 && (v.charAt(v.length() - 6) == '+' || v.charAt(v.length() - 6) == '-')) {
                return OffsetDateTime.parse(v.replace(' ', 'T')).toInstant();
            }
            return LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new BadValue(column, "not a timestamp: '" + v
                    + "'; expected ISO-8601 such as 2018-04-01T00:07:56Z");
        }
    }

    /**
     * Parses exactly "YYYY-MM-DDTHH:MM:SSZ" without the general parser (which took most of the time of reading a
     * native file); anything else returns null and goes the general way.
     */
    static Instant fastUtcSeconds(String v) {
        if (v.length() != 20 || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T'
                || v.charAt(13) != ':' || v.charAt(16) != ':' || v.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null; // let the general parser say what is wrong
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return null; // e.g. February 30th: the general parser reports it
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second);
    }

    private static int digits(String s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static LocalDate date(CsvRecord row, int index, String column) throws BadValue {
        String v = text(row, index, column);
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new BadValue(column, "not a date: '" + v + "'; expected YYYY-MM-DD");
        }
    }
}
