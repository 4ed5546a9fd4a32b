package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.support.SensorData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LstmForwardPassTest {

    @Test
    void matchesDl4jsOwnForwardPass() {
        SensorData data = new SensorData(9);
        double[][] rows = Standardizer.fit(data.healthyRows(300)).apply(data.healthyRows(300));
        LstmAutoencoderDetector detector = LstmAutoencoderDetector.fit(rows, 6, 3, 7, epoch -> { });
        double[][][] windows = Windows.sliding(rows, 6);
        double[] plain = detector.rawScores(windows);
        double[] dl4j = detector.rawScoresWithDl4j(windows);
        for (int i = 0; i < windows.length; i++) {
            // DL4J computes in float: agree to float precision
            assertEquals(dl4j[i], plain[i], 1e-5 * Math.max(1, dl4j[i]), "window " + i);
        }
    }
}
