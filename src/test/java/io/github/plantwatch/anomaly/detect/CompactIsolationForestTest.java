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
        for (int i = 0; i < 2000; i++) {
            double[] x = new double[6];
            for (int j = 0; j < x.length; j++) {
                x[j] = random.nextGaussian() * (i % 2 == 0 ? 1 : 5);
            }
            assertEquals(detector.smileScore(x), detector.score(x), 0.0);
        }
    }
}
