package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.Rarity;
import io.github.plantwatch.anomaly.detect.TailCalibration;

import java.util.Arrays;

/**
 * Calibrates the ensemble's vote threshold: on the calibration rows, the final score (the combined rarity of the
 * models that score the row, as the stream computes it) is computed per row, and the threshold is its
 * (1 - contamination) quantile. So the ensemble votes on about {@code contamination} of normal data whichever
 * models a set holds and however dependent their scores are (the harmonic mean of dependent tail probabilities
 * is only close to one).
 */
final class EnsembleCalibration {

    private final double[][] rarities;
    private final int[] counts;

    /**
     * @param rows   how many of the newest rows calibrate (the holdout, or all rows in-sample)
     * @param models how many models the set holds
     */
    EnsembleCalibration(int rows, int models) {
        this.rarities = new double[rows][models];
        this.counts = new int[rows];
    }

    /**
     * Adds one model's raw scores over the calibration rows' windows.
     *
     * @param scoredRows how many rows the windows were cut from (the calibration rows and, for a sequence model,
     *                   the rows before them that its first windows reach back to)
     */
    void add(TailCalibration calibration, double[] rawScores, int scoredRows, int windowLength) {
        for (int r = 0; r < rarities.length; r++) {
            int window = scoredRows - rarities.length + r - (windowLength - 1); // the window ending on row r
            if (window >= 0 && window < rawScores.length) {
                rarities[r][counts[r]++] = calibration.rarity(rawScores[window]);
            }
        }
    }

    double threshold(double contamination) {
        double[] statistics = new double[rarities.length];
        int n = 0;
        for (int r = 0; r < rarities.length; r++) {
            if (counts[r] > 0) {
                statistics[n++] = Rarity.score(Rarity.combined(rarities[r], counts[r]));
            }
        }
        double[] sorted = Arrays.copyOf(statistics, n);
        Arrays.sort(sorted);
        return TailCalibration.quantile(sorted, 1.0 - contamination);
    }
}
