package io.github.plantwatch.anomaly.detect;

import java.util.Arrays;

/** Builds the windows {@link Detector#rawScores} takes from rows in time order. */
public final class Windows {

    private Windows() {
    }

    /** Each row as a window of one, for point detectors. */
    public static double[][][] points(double[][] rows) {
        double[][][] windows = new double[rows.length][][];
        for (int i = 0; i < rows.length; i++) {
            windows[i] = new double[][]{rows[i]};
        }
        return windows;
    }

    /** Every run of {@code length} consecutive rows, oldest first. */
    public static double[][][] sliding(double[][] rows, int length) {
        if (length == 1) {
            return points(rows);
        }
        double[][][] windows = new double[Math.max(0, rows.length - length + 1)][][];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = Arrays.copyOfRange(rows, i, i + length);
        }
        return windows;
    }
}
