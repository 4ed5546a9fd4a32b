package io.github.plantwatch.anomaly.detect;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompactKernelMachineTest {

    @Test
    void scoresAsSmilesKernelSumOnALogScale() {
        Random random = new Random(7);
        double[][] rows = new double[600][6];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        // nu 0.1, the service's default contamination: over 60 support vectors
        OneClassSvmDetector detector = OneClassSvmDetector.fit(rows, 0.1, 42);
        double[][] vectors = new double[2000][6];
        for (int i = 0; i < vectors.length; i++) {
            for (int j = 0; j < 6; j++) {
                vectors[i][j] = random.nextGaussian() * (i % 2 == 0 ? 1 : 5);
            }
        }
        double[] batched = detector.scores(vectors);
        int inside = 0;
        for (int i = 0; i < vectors.length; i++) {
            double smile = detector.smileDecision(vectors[i]);
            double density = detector.smileDensity(vectors[i]);
            if (density > 1e-8) {
                assertEquals(-Math.log(density), batched[i], 1e-6, "vector " + i);
            } else { // Smile's sum is lost in its intercept's rounding: the log-sum-exp goes on growing
                assertTrue(Double.isFinite(batched[i]) && batched[i] > 18, "vector " + i + ": " + batched[i]);
            }
            inside += smile > 0 ? 1 : 0;
        }
        assertTrue(inside > 100 && inside < 1900, "the vectors fall on both sides of the support: " + inside);
    }
}
