package io.riskloop.model.train;

import java.util.Locale;

/** The model families riskloop trains, all with XGBoost4J. */
public enum Algorithm {
    /** XGBoost's linear booster with the logistic objective, on standardised inputs. */
    LOGISTIC_REGRESSION,
    /** One tree grown by XGBoost with learning rate 1: a decision tree whose leaves rank by fraud rate. */
    DECISION_TREE,
    /** XGBoost's random-forest mode: many parallel trees, one round, row and column subsampling. */
    RANDOM_FOREST,
    /** Gradient-boosted trees. */
    XGBOOST;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Algorithm parse(String s) {
        for (Algorithm a : values()) {
            if (a.cliName().equalsIgnoreCase(s) || a.name().equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown algorithm '" + s
                + "': use logistic_regression, decision_tree, random_forest or xgboost");
    }

    /** Whether inputs are standardised before training and scoring (only the linear model cares). */
    public boolean standardises() {
        return this == LOGISTIC_REGRESSION;
    }
}
