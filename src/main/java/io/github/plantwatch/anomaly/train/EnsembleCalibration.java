package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.ScoreCalibration;

import java.util.Arrays;

/**
 * Calibrates the ensemble's threshold as each model's is: on the calibration rows, the vote statistic (the highest
 * calibrated score of the models that score the row, as the stream computes it) is computed per row, and the
 * threshold is its (1 - contamination) quantile. So the ensemble votes on about {@code contamination} of normal
 * data whichever models a set holds, instead of a fixed vote count.
 */
final class EnsembleCalibration {

    private final double[] highest;
    private final int[] counts;

    /** @param rows how many of the newest rows calibrate (the holdout, or all rows in-sample) */
    EnsembleCalibration(int rows) {
        this.highest = new double[rows];
        this.counts = new int[rows];
    }

    /**
     * Adds one model's raw scores over the calibration rows' windows.
     *
     * @param scoredRows how many rows the windows were cut from (the calibration rows and, for a sequence model,
     *                   the rows before them that its first windows reach back to)
     */
    void add(ScoreCalibration calibration, double[] rawScores, int scoredRows, int windowLength) {
        for (int r = 0; r < highest.length; r++) {
            int window = scoredRows - highest.length + r - (windowLength - 1); // the window ending on row r
            if (window >= 0 && window < rawScores.length) {
                highest[r] = Math.max(highest[r], calibration.normalize(rawScores[window]));
                counts[r]++;
            }
        }
    }

    double threshold(double contamination) {
        double[] statistics = new double[highest.length];
        int n = 0;
        for (int r = 0; r < highest.length; r++) {
            if (counts[r] > 0) {
                statistics[n++] = highest[r];
            }
        }
        double[] sorted = Arrays.copyOf(statistics, n);
        Arrays.sort(sorted);
        return ScoreCalibration.quantile(sorted, 1.0 - contamination);
    }
}
