package io.github.plantwatch.anomaly.detect;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Maps one detector's raw scores to [0, 1] and holds its threshold, both learned from the detector's scores on its
 * own training data.
 * <p>
 * score = logistic((raw - median) / (2 * robustSpread)), where robustSpread = 1.4826 * MAD of the training raw
 * scores: a typical training record scores 0.5, and a record {@code k} robust standard deviations above the median
 * scores logistic(k / 2). threshold = the (1 - contamination) quantile of the training scores, so about
 * {@code contamination} of the training data is flagged.
 */
public record ScoreCalibration(double median, double spread, double threshold) implements Serializable {

    public static ScoreCalibration fit(double[] trainingRawScores, double contamination) {
        double[] sorted = trainingRawScores.clone();
        Arrays.sort(sorted);
        double median = quantile(sorted, 0.5);
        double[] deviations = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            deviations[i] = Math.abs(sorted[i] - median);
        }
        Arrays.sort(deviations);
        double spread = 1.4826 * quantile(deviations, 0.5);
        if (!(spread > 1e-12)) { // more than half the scores tie: fall back to the whole range
            spread = Math.max(sorted[sorted.length - 1] - sorted[0], 1e-12);
        }
        ScoreCalibration unthresholded = new ScoreCalibration(median, spread, Double.NaN);
        double threshold = unthresholded.normalize(quantile(sorted, 1.0 - contamination));
        return new ScoreCalibration(median, spread, threshold);
    }

    /** Linear interpolation between closest ranks of an ascending array. */
    public static double quantile(double[] ascending, double q) {
        double position = q * (ascending.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, ascending.length - 1);
        return ascending[below] + (position - below) * (ascending[above] - ascending[below]);
    }

    public double normalize(double raw) {
        return 1.0 / (1.0 + Math.exp(-(raw - median) / (2.0 * spread)));
    }
}
