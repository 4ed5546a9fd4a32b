package io.github.plantwatch.anomaly.detect;

/**
 * A detector that can say which features drove its score, from the quantities it scores with (the autoencoder:
 * per-feature reconstruction error). Point detectors do not need it: their attribution is the standardized
 * deviation of each feature.
 */
public interface FeatureAttribution {

    /**
     * Scores one window as {@link Detector#rawScores} does and, in the same pass, adds each feature's share of the
     * score to {@code featureEvidence[j]} (non-negative) and writes into {@code expected[j]} the standardized value
     * the detector expected for the window's newest vector.
     */
    double explain(double[][] window, double[] featureEvidence, double[] expected);
}
