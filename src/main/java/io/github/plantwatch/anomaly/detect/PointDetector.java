package io.github.plantwatch.anomaly.detect;

/** A detector that scores each vector on its own: windows of one. */
abstract class PointDetector implements Detector {

    private static final long serialVersionUID = 1L;

    /** Raw anomaly score of one standardized vector, higher = more anomalous. */
    abstract double score(double[] vector);

    @Override
    public final int windowLength() {
        return 1;
    }

    @Override
    public final double rawScore(double[][] window) {
        return score(window[0]);
    }

    @Override
    public final double[] rawScores(double[][][] windows) {
        double[] scores = new double[windows.length];
        for (int i = 0; i < windows.length; i++) {
            scores[i] = score(windows[i][0]);
        }
        return scores;
    }
}
