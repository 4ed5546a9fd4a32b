package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.FeatureContribution;
import io.github.plantwatch.anomaly.detect.ModelSet;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** One detector's evidence: {@code evidence[offset + j]} for feature j. */
    void add(double[] evidence, int offset, boolean modelFlagged) {
        double total = 0;
        int unbounded = 0; // evidence that overflowed (an absurd input): it takes all the share, split evenly
        for (int j = 0; j < width; j++) {
            double value = evidence[offset + j];
            if (Double.isFinite(value)) {
                total += value;
            } else {
                unbounded++;
            }
        }
        if (!(total > 0) && unbounded == 0) {
            return;
        }
        for (int j = 0; j < width; j++) {
            double value = evidence[offset + j];
            double share = unbounded > 0 ? (Double.isFinite(value) ? 0 : 1.0 / unbounded)
                    : Math.min(1, value / total);
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

    /** The autoencoder's reconstruction of the newest vector: {@code reconstruction[offset + j]} for feature j. */
    void expect(double[] reconstruction, int offset) {
        this.expected = Arrays.copyOfRange(reconstruction, offset, offset + width);
    }

    /**
     * The {@code count} largest contributions, largest first.
     *
     * @param baseline the stream's baseline the record was judged against, in the features' units
     */
    List<FeatureContribution> top(int count, ModelSet models, double[] observed, double[] baseline) {
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
            // expected: the autoencoder's reconstruction when it flagged (standardized, relative to the baseline),
            // else the baseline itself, in the feature's units
            double expectedZ = expected == null || !Double.isFinite(expected[best]) ? 0 : expected[best];
            double scale = models.standardizer().scale()[best];
            double expectedValue = baseline[best] + scale * expectedZ;
            if (!Double.isFinite(expectedValue)) { // a reconstruction too far out to restate in the feature's units
                expectedValue = Double.isFinite(baseline[best]) ? baseline[best] : models.standardizer().mean()[best];
            }
            top.add(new FeatureContribution(models.featureNames().get(best), shares[best] / voters,
                    observed[best], expectedValue));
        }
        return top;
    }
}
