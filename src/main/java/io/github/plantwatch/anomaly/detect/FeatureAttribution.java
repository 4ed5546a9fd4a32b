package io.github.plantwatch.anomaly.detect;

/**
 * A detector that can say which features drove its score, from the quantities it scores with (the autoencoder:
 * per-feature reconstruction error). Point detectors do not need it: their attribution is the standardized
 * deviation of each feature.
 */
public interface FeatureAttribution {

    /**
     * Scores windows as {@link Detector#rawScores} does and, in the same pass, writes for window i and feature j
     * (index {@code i * width + j}, arrays of {@code windows.length * width}) the feature's share of the score into
     * {@code featureEvidence} (non-negative) and the standardized value the detector expected for the window's
     * newest vector into {@code expected}.
     */
    double[] explain(double[][][] windows, double[] featureEvidence, double[] expected);
}
