package io.github.plantwatch.anomaly.contract;

/**
 * The range one feature took over a set of records, in the feature's own units: an episode's envelope is one per
 * feature, over its anomalous records.
 */
public record FeatureRange(String name, double low, double high) {

    public boolean contains(double value, double margin) {
        return value >= low - margin && value <= high + margin;
    }
}
