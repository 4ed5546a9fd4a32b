package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.ModelScope;

import java.util.List;

/**
 * A validated training request: {@code data} rows are in {@code featureNames} order, all finite; {@code scope} is
 * whom the model set serves and {@code members} the assets a group's set serves.
 */
public record TrainingRequest(double[][] data, List<String> featureNames, TrainingSettings settings, ModelScope scope,
                              List<String> members) {

    public TrainingRequest {
        members = List.copyOf(members);
    }

    /** A request for the global model set. */
    public TrainingRequest(double[][] data, List<String> featureNames, TrainingSettings settings) {
        this(data, featureNames, settings, ModelScope.GLOBAL, List.of());
    }
}
