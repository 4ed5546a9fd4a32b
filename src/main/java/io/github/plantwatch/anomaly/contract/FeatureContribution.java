package io.github.plantwatch.anomaly.contract;

/**
 * One feature named as a driver of an anomalous verdict.
 *
 * @param name         the feature name, as in {@code features}
 * @param contribution its share of the anomaly evidence, in [0, 1]; the shares of all features sum to 1
 * @param observed     the value the message carried
 * @param expected     what the models expected instead, in the feature's own units
 */
public record FeatureContribution(String name, double contribution, double observed, double expected) {
}
