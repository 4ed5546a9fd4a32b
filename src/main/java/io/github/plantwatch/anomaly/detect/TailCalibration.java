package io.github.plantwatch.anomaly.detect;

import java.util.Arrays;

/**
 * Turns one detector's raw scores into tail probabilities under normal behaviour ({@link Rarity}), learned from the
 * detector's raw scores on calibration rows it was not fitted on.
 * <p>
 * Below the tail start u (the score only the top {@code exceedances} of the n calibration scores reach), p is
 * empirical: (1 + the number of calibration scores at or above the raw score) / (n + 1). Above u, a generalised
 * Pareto distribution fitted to the exceedances extrapolates: p = k / (n + 1) * (1 + shape * (raw - u) / scale)
 * ^ (-1 / shape), an exponential tail when shape = 0 (Pickands; as SPOT does, Siffer et al., KDD 2017). The shape is
 * estimated by the method of moments and kept in [0, {@value #MAX_SHAPE}]: a handful of exceedances cannot show a
 * bounded tail (shape &lt; 0) reliably, and claiming one would call every record past the bound impossible; the
 * exponential is the lightest tail assumed. So p keeps falling, without bound, as the raw score grows.
 * <p>
 * The detector votes ({@link #threshold()}, a score) when p is at most the training contamination.
 *
 * @param ascending  the calibration scores, ascending (at most {@value #KEPT} evenly spaced order statistics)
 * @param count      n: how many calibration scores there were
 * @param tailStart  u
 * @param exceedances k: how many calibration scores lie above u
 * @param scale      the generalised Pareto scale, in raw-score units
 * @param shape      the generalised Pareto shape
 * @param threshold  the score at or above which the detector votes anomalous
 */
public record TailCalibration(double[] ascending, int count, double tailStart, int exceedances, double scale,
                              double shape, double threshold) {

    static final double MAX_SHAPE = 0.45;
    /** Order statistics kept: enough to rank a score to 0.1 % of the calibration rows. */
    static final int KEPT = 1001;
    /** The fewest exceedances fitted, and the share of the calibration rows they are when there are many. */
    static final int MIN_EXCEEDANCES = 10;
    static final double TAIL_SHARE = 0.05;

    /** @param voteProbability the tail probability at or below which the detector votes (the contamination) */
    public static TailCalibration fit(double[] rawScores, double voteProbability) {
        double[] sorted = rawScores.clone();
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = finite(sorted[i]);
        }
        Arrays.sort(sorted);
        int n = sorted.length;
        int k = Math.min(n / 2, Math.max(MIN_EXCEEDANCES, (int) Math.ceil(TAIL_SHARE * n)));
        double u = sorted[n - 1 - k];
        double mean = 0;
        double square = 0;
        for (int i = n - k; i < n; i++) {
            double excess = sorted[i] - u;
            mean += excess;
            square += excess * excess;
        }
        mean /= Math.max(1, k);
        double variance = k > 1 ? (square - k * mean * mean) / (k - 1) : 0;
        double shape = variance > 0 ? Math.clamp(0.5 * (1 - mean * mean / variance), 0, MAX_SHAPE) : 0;
        // the mean excess of a generalised Pareto tail is scale / (1 - shape)
        double floor = 1e-9 * Math.max(1e-12, sorted[n - 1] - sorted[0]) + 1e-300;
        double scale = Math.max(mean * (1 - shape), floor);
        double[] kept = n <= KEPT ? sorted : thinned(sorted);
        return new TailCalibration(kept, n, u, k, scale, shape, Rarity.scoreOf(voteProbability));
    }

    private static double[] thinned(double[] sorted) {
        double[] kept = new double[KEPT];
        for (int i = 0; i < KEPT; i++) {
            kept[i] = sorted[(int) Math.round(i * (sorted.length - 1.0) / (KEPT - 1))];
        }
        return kept;
    }

    /** -log10 of the tail probability of a raw score (see the class comment). */
    public double rarity(double raw) {
        double x = finite(raw);
        if (x > tailStart) {
            double excess = (x - tailStart) / scale;
            double beyond = shape == 0 ? excess / Math.log(10) : Math.log10(1 + shape * excess) / shape;
            return Math.min(Rarity.MAX, Rarity.of(exceedances / (count + 1.0)) + beyond);
        }
        int below = lowerBound(x);
        double atOrAbove = count * (ascending.length - below) / (double) ascending.length;
        return Rarity.of((1 + atOrAbove) / (count + 1.0));
    }

    /** {@link Rarity#score} of the raw score's rarity: the detector's {@code score} in results. */
    public double score(double raw) {
        return Rarity.score(rarity(raw));
    }

    /** How many kept calibration scores are below x. */
    private int lowerBound(double x) {
        int low = 0;
        int high = ascending.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ascending[middle] < x) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** A non-finite raw score comes from an input whose squares overflow: the most anomalous finite value. */
    private static double finite(double raw) {
        return Double.isNaN(raw) || raw == Double.POSITIVE_INFINITY ? Double.MAX_VALUE
                : raw == Double.NEGATIVE_INFINITY ? -Double.MAX_VALUE : raw;
    }

    /** Linear interpolation between closest ranks of an ascending array. */
    public static double quantile(double[] ascending, double q) {
        double position = q * (ascending.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, ascending.length - 1);
        return ascending[below] + (position - below) * (ascending[above] - ascending[below]);
    }
}
