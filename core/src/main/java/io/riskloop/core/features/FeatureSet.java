package io.riskloop.core.features;

import io.riskloop.core.dataset.DatasetFormat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A named, versioned list of feature groups: the one definition of the model inputs that the offline replay
 * and the stream processor both run.
 *
 * @param name    the set's name, recorded in model manifests
 * @param version bumped whenever a definition changes, so that old models are not fed new meanings
 * @param groups  the groups, in the order their values appear in a feature vector
 */
public record FeatureSet(String name, int version, List<FeatureGroup<?>> groups) {

    private static final int[] WINDOWS = {1, 7, 30};
    private static final int LABEL_DELAY_DAYS = 7;

    /** The handbook's 15 baseline features (reference-benchmark.md, section 2). */
    public static final FeatureSet BASELINE = new FeatureSet("baseline", 1, List.of(
            new TransactionBasics(false),
            new CardSpending("CUSTOMER_ID", WINDOWS, false),
            new TerminalRisk("TERMINAL_ID", LABEL_DELAY_DAYS, WINDOWS)));

    /** For the Sparkov layout: basics and hour, merchant category, age, distance, card velocity, merchant risk. */
    public static final FeatureSet SPARKOV = new FeatureSet("sparkov", 1, List.of(
            new TransactionBasics(true),
            new SparkovProfile(),
            new CardSpending("CARD", WINDOWS, true),
            new TerminalRisk("MERCHANT", LABEL_DELAY_DAYS, WINDOWS)));

    /** For the Kaggle layout: the 28 PCA components, the amount, and the hour of day. */
    public static final FeatureSet KAGGLE = new FeatureSet("kaggle", 1, List.of(
            new NumericAttributes(kaggleComponents()),
            new TransactionBasics(true)));

    public FeatureSet {
        groups = List.copyOf(groups);
        List<String> all = new ArrayList<>();
        for (FeatureGroup<?> g : groups) {
            for (String n : g.names()) {
                if (all.contains(n)) {
                    throw new IllegalArgumentException("feature set " + name + " defines '" + n + "' twice");
                }
                all.add(n);
            }
        }
    }

    public static FeatureSet forFormat(DatasetFormat format) {
        return switch (format) {
            case NATIVE -> BASELINE;
            case KAGGLE -> KAGGLE;
            case SPARKOV -> SPARKOV;
        };
    }

    public static FeatureSet byName(String name) {
        for (FeatureSet s : List.of(BASELINE, SPARKOV, KAGGLE)) {
            if (s.name.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown feature set '" + name + "': known are baseline, sparkov, kaggle");
    }

    /** All feature names, in vector order. */
    public List<String> names() {
        List<String> all = new ArrayList<>();
        for (FeatureGroup<?> g : groups) {
            all.addAll(g.names());
        }
        return all;
    }

    /** What each feature can take by construction, in vector order ({@link FeatureGroup#range}). */
    public List<ValueRange> ranges() {
        List<ValueRange> all = new ArrayList<>();
        for (FeatureGroup<?> g : groups) {
            for (int i = 0; i < g.names().size(); i++) {
                all.add(g.range(i));
            }
        }
        return all;
    }

    public int size() {
        int n = 0;
        for (FeatureGroup<?> g : groups) {
            n += g.names().size();
        }
        return n;
    }

    /** A hash of name, version and feature names: two models with equal hashes take the same inputs. */
    public String schemaHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((name + "\n" + version + "\n" + String.join("\n", names())).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where each group's values start in the feature vector. */
    public int[] offsets() {
        int[] o = new int[groups.size()];
        int at = 0;
        for (int i = 0; i < o.length; i++) {
            o[i] = at;
            at += groups.get(i).names().size();
        }
        return o;
    }

    public FeatureEngine newEngine() {
        return new FeatureEngine(this);
    }

    private static List<String> kaggleComponents() {
        List<String> v = new ArrayList<>();
        for (int i = 1; i <= 28; i++) {
            v.add("V" + i);
        }
        return v;
    }
}
