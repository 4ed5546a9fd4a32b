package io.github.plantwatch.anomaly.detect;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreCalibrationTest {

    @Test
    void flagsAboutTheContaminationShareOfTheTrainingScores() {
        Random random = new Random(1);
        double[] raw = new double[10_000];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 5 + 2 * random.nextGaussian();
        }
        for (double contamination : new double[]{0.01, 0.05, 0.1}) {
            ScoreCalibration calibration = ScoreCalibration.fit(raw, contamination);
            long flagged = java.util.Arrays.stream(raw).filter(r -> calibration.normalize(r) >= calibration.threshold())
                    .count();
            assertEquals(contamination, flagged / (double) raw.length, 0.002);
        }
    }

    @Test
    void mapsTheMedianToOneHalfAndStaysWithinZeroAndOne() {
        ScoreCalibration calibration = ScoreCalibration.fit(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, 0.1);
        assertEquals(0.5, calibration.normalize(5), 1e-12);
        assertTrue(calibration.normalize(1e9) <= 1.0 && calibration.normalize(-1e9) >= 0.0);
        assertTrue(calibration.normalize(6) > calibration.normalize(5));
    }

    @Test
    void survivesTrainingScoresThatMostlyTie() {
        double[] raw = new double[100];
        raw[99] = 1;
        ScoreCalibration calibration = ScoreCalibration.fit(raw, 0.01);
        assertTrue(Double.isFinite(calibration.threshold()));
        assertTrue(calibration.normalize(1) > calibration.normalize(0));
    }
}
