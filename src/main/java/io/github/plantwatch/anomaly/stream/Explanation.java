package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.FeatureContribution;
import io.github.plantwatch.anomaly.detect.ModelSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects, while a message is scored, each detector's per-feature evidence, and names the features that drove
 * the verdict. Point detectors' evidence is the squared standardized deviation z_j^2 (what moves a point away from
 * the training cloud); the autoencoder's is its per-feature reconstruction error. Each detector's evidence is
 * normalized to shares summing to 1; a feature's contribution is its mean share over the detectors that flagged
 * the message (over all that scored it when none did on its own, i.e. the persistence rule carried the verdict).
 */
final class Explanation {

    private final int width;
    private final double[] flaggedShares;
    private final double[] allShares;
    private int flagged;
    private int scored;
    /** The autoencoder's reconstruction of the newest vector (standardized), when it flagged the message. */
    private double[] expected;

    Explanation(int width) {
        this.width = width;
        this.flaggedShares = new double[width];
        this.allShares = new double[width];
    }

    void add(double[] evidence, boolean modelFlagged) {
        double total = 0;
        for (double e : evidence) {
            total += e;
        }
        if (!(total > 0)) {
            return;
        }
        for (int j = 0; j < width; j++) {
            double share = evidence[j] / total;
            allShares[j] += share;
            if (modelFlagged) {
                flaggedShares[j] += share;
            }
        }
        scored++;
        if (modelFlagged) {
            flagged++;
        }
    }

    void expect(double[] reconstruction) {
        this.expected = reconstruction;
    }

    /** The {@code count} largest contributions, largest first. */
    List<FeatureContribution> top(int count, ModelSet models, double[] observed, StreamState state) {
        double[] shares = flagged > 0 ? flaggedShares : allShares;
        int voters = Math.max(1, flagged > 0 ? flagged : scored);
        int n = Math.min(count, width);
        List<FeatureContribution> top = new ArrayList<>(n);
        boolean[] taken = new boolean[width];
        for (int k = 0; k < n; k++) {
            int best = -1;
            for (int j = 0; j < width; j++) {
                if (!taken[j] && (best < 0 || shares[j] > shares[best])) {
                    best = j;
                }
            }
            taken[best] = true;
            // expected: the autoencoder's reconstruction when it flagged, else the stream's baseline (z = 0)
            double expectedZ = expected == null ? 0 : expected[best];
            top.add(new FeatureContribution(models.featureNames().get(best), shares[best] / voters,
                    observed[best], state.expected(models.standardizer(), best, expectedZ)));
        }
        return top;
    }
}
