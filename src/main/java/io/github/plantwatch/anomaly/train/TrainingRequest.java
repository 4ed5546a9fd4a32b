package io.github.plantwatch.anomaly.train;

import java.util.List;

/** A validated training request: {@code data} rows are in {@code featureNames} order, all finite. */
public record TrainingRequest(double[][] data, List<String> featureNames, TrainingSettings settings) {
}
