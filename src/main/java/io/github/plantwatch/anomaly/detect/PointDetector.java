package io.github.plantwatch.anomaly.detect;

/** A detector that scores each vector on its own: windows of one. */
abstract class PointDetector implements Detector {

    /** Raw anomaly score of each standardized vector, higher = more anomalous. */
    abstract double[] scores(double[][] vectors);

    @Override
    public final int windowLength() {
        return 1;
    }

    @Override
    public final double[] rawScores(double[][][] windows) {
        double[][] vectors = new double[windows.length][];
        for (int i = 0; i < windows.length; i++) {
            vectors[i] = windows[i][0];
        }
        return scores(vectors);
    }
}
