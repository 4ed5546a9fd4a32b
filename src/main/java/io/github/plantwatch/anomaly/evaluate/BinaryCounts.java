package io.github.plantwatch.anomaly.evaluate;

/**
 * Point-wise confusion counts pooled over files, and SKAB's outlier metrics on them:
 * F1 = TP / (TP + (FP + FN) / 2), FAR = FP / (FP + TN) x 100, MAR = FN / (FN + TP) x 100.
 */
public final class BinaryCounts {

    private long truePositives;
    private long trueNegatives;
    private long falsePositives;
    private long falseNegatives;

    public void add(int[] truth, boolean[] predicted) {
        for (int i = 0; i < truth.length; i++) {
            boolean actual = truth[i] == 1;
            if (actual && predicted[i]) {
                truePositives++;
            } else if (actual) {
                falseNegatives++;
            } else if (predicted[i]) {
                falsePositives++;
            } else {
                trueNegatives++;
            }
        }
    }

    public double f1() {
        return truePositives / (truePositives + (falsePositives + falseNegatives) / 2.0);
    }

    public double falseAlarmRate() {
        return 100.0 * falsePositives / Math.max(1, falsePositives + trueNegatives);
    }

    public double missingAlarmRate() {
        return 100.0 * falseNegatives / Math.max(1, falseNegatives + truePositives);
    }
}
