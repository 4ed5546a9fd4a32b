package io.github.plantwatch.anomaly.detect;

import java.io.Serializable;

/** Per-feature z-scores with the mean and standard deviation of the training data. */
public record Standardizer(double[] mean, double[] scale) implements Serializable {

    public static Standardizer fit(double[][] rows) {
        int width = rows[0].length;
        double[] mean = new double[width];
        double[] scale = new double[width];
        for (double[] row : rows) {
            for (int j = 0; j < width; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= rows.length;
        }
        for (double[] row : rows) {
            for (int j = 0; j < width; j++) {
                double d = row[j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int j = 0; j < width; j++) {
            double std = Math.sqrt(scale[j] / Math.max(1, rows.length - 1));
            scale[j] = std > 1e-12 ? std : 1.0; // a constant feature: keep its deviations in raw units
        }
        return new Standardizer(mean, scale);
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
