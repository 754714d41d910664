package io.riskloop.model.evaluate;

import java.util.List;

/**
 * The outcome of one evaluation run.
 *
 * @param protocol  baseline or prequential
 * @param split     the (first) test split
 * @param folds     number of folds
 * @param models    one result per model
 * @param dataset   a description of the data
 */
public record Evaluation(Protocol protocol, TimeSplit split, int folds, List<ModelResult> models, String dataset) {

    public Evaluation {
        models = List.copyOf(models);
    }
}
