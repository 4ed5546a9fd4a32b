package io.github.plantwatch.anomaly.detect;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CompactIsolationForestTest {

    @Test
    void scoresExactlyAsSmile() {
        Random random = new Random(4);
        double[][] rows = new double[500][6];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        IsolationForestDetector detector = IsolationForestDetector.fit(rows, 50);
        double[][] vectors = new double[2000][6];
        for (int i = 0; i < vectors.length; i++) {
            for (int j = 0; j < 6; j++) {
                vectors[i][j] = random.nextGaussian() * (i % 2 == 0 ? 1 : 5);
            }
        }
        double[] batched = detector.scores(vectors);
        for (int i = 0; i < vectors.length; i++) {
            assertEquals(detector.smileScore(vectors[i]), batched[i], 0.0, "vector " + i);
        }
    }
}
