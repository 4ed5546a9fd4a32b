package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.support.SensorData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LstmForwardPassTest {

    private static LstmAutoencoderDetector detector;
    /** More windows than one chunk of the batched pass holds. */
    private static double[][][] windows;

    @BeforeAll
    static void train() {
        SensorData data = new SensorData(9);
        double[][] rows = Standardizer.fit(data.healthyRows(300)).apply(data.healthyRows(300));
        detector = LstmAutoencoderDetector.fit(rows, 6, 3, 7, epoch -> { });
        windows = Windows.sliding(rows, 6);
        assertTrue(windows.length > LstmForwardPass.CHUNK);
    }

    @Test
    void matchesDl4jsOwnForwardPass() {
        double[] plain = detector.rawScores(windows);
        double[] dl4j = detector.rawScoresWithDl4j(windows);
        for (int i = 0; i < windows.length; i++) {
            // DL4J computes in float: agree to float precision
            assertEquals(dl4j[i], plain[i], 1e-5 * Math.max(1, dl4j[i]), "window " + i);
        }
    }

    @Test
    void aWindowScoresTheSameAloneAsInABatch() {
        double[] batched = detector.rawScores(windows);
        // fewer than BATCH_FROM windows take the one-at-a-time pass: the same numbers, bit for bit
        double[] few = detector.rawScores(Arrays.copyOf(windows, LstmForwardPass.BATCH_FROM - 1));
        for (int i = 0; i < few.length; i++) {
            assertEquals(batched[i], few[i], 0.0, "window " + i + " of a few");
        }
        for (int i : new int[]{0, 1, LstmForwardPass.CHUNK - 1, LstmForwardPass.CHUNK, windows.length - 1}) {
            assertEquals(batched[i], detector.rawScores(new double[][][]{windows[i]})[0], 0.0, "window " + i);
        }
    }

    @Test
    void featureErrorsAverageToTheWindowsErrorAndTheNewestReconstructionDoesNotDependOnTheBatch() {
        int width = windows[0][0].length;
        double[] featureError = new double[windows.length * width];
        double[] newest = new double[windows.length * width];
        double[] errors = detector.explain(windows, featureError, newest);
        for (int i = 0; i < windows.length; i++) {
            double mean = Arrays.stream(featureError, i * width, (i + 1) * width).average().orElseThrow();
            assertEquals(errors[i], mean, 1e-9, "window " + i);
        }
        int last = windows.length - 1;
        double[] alone = new double[width];
        double[] aloneError = new double[width];
        detector.explain(new double[][][]{windows[last]}, aloneError, alone); // one window: the other loop order
        assertArrayEquals(alone, Arrays.copyOfRange(newest, last * width, (last + 1) * width), 0.0);
        assertArrayEquals(aloneError, Arrays.copyOfRange(featureError, last * width, (last + 1) * width), 0.0);
        assertTrue(Arrays.stream(alone).anyMatch(v -> v != 0), "a reconstruction, not an empty vector");
    }
}
