package io.github.plantwatch.anomaly.detect;


/**
 * Per-feature z-scores with the mean and standard deviation of the training data, and which features wander.
 * <p>
 * A feature wanders when its training rows move slowly and steadily rather than jitter around a level (a
 * temperature that creeps while a pump runs): the mean squared difference of successive rows is below
 * {@code wanderingRatio} times its variance (white noise gives 2, a slow trend nearly 0; below 0.5 means a lag-1
 * autocorrelation above 0.75). Its level in a short training run says little about its level an hour later, so
 * the stream's adaptive baseline follows it (see {@code StreamState}); the other features keep the training level.
 *
 * @param wandering null in model sets saved before this existed: none wanders
 */
public record Standardizer(double[] mean, double[] scale, boolean[] wandering) {

    public Standardizer {
        wandering = wandering == null ? new boolean[mean.length] : wandering;
    }

    /** No feature is taken to wander. */
    public static Standardizer fit(double[][] rows) {
        return fit(rows, 0);
    }

    public static Standardizer fit(double[][] rows, double wanderingRatio) {
        int width = rows[0].length;
        double[] mean = new double[width];
        double[] scale = new double[width];
        double[] successive = new double[width];
        for (double[] row : rows) {
            for (int j = 0; j < width; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= rows.length;
        }
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < width; j++) {
                double d = rows[i][j] - mean[j];
                scale[j] += d * d;
                if (i > 0) {
                    double step = rows[i][j] - rows[i - 1][j];
                    successive[j] += step * step;
                }
            }
        }
        boolean[] wandering = new boolean[width];
        for (int j = 0; j < width; j++) {
            double variance = scale[j] / Math.max(1, rows.length - 1);
            double std = Math.sqrt(variance);
            wandering[j] = std > 1e-12 && successive[j] / Math.max(1, rows.length - 1) < wanderingRatio * variance;
            scale[j] = std > 1e-12 ? std : 1.0; // a constant feature: keep its deviations in raw units
        }
        return new Standardizer(mean, scale, wandering);
    }

    public double[] apply(double[] row) {
        double[] z = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            z[j] = (row[j] - mean[j]) / scale[j];
        }
        return z;
    }

    public double[][] apply(double[][] rows) {
        double[][] z = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            z[i] = apply(rows[i]);
        }
        return z;
    }
}
