package io.github.plantwatch.anomaly.detect;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TailCalibrationTest {

    private static double[] gaussian(int n, long seed) {
        Random random = new Random(seed);
        double[] raw = new double[n];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 5 + 2 * random.nextGaussian();
        }
        return raw;
    }

    @Test
    void votesOnAboutTheContaminationShareOfNewNormalScores() {
        double[] calibration = gaussian(2_000, 1);
        double[] fresh = gaussian(20_000, 2);
        for (double contamination : new double[]{0.01, 0.05, 0.1}) {
            TailCalibration fitted = TailCalibration.fit(calibration, contamination);
            long flagged = Arrays.stream(fresh).filter(r -> fitted.score(r) >= fitted.threshold()).count();
            assertEquals(contamination, flagged / (double) fresh.length, 0.25 * contamination + 0.002,
                    "contamination " + contamination);
        }
    }

    @Test
    void theTailProbabilityBeyondTheCalibrationRowsIsExtrapolatedNotClipped() {
        // an exponential tail: P(raw > t) = exp(-t); 500 calibration rows see up to about p = 1/500
        Random random = new Random(3);
        double[] raw = new double[500];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = -Math.log(1 - random.nextDouble());
        }
        TailCalibration fitted = TailCalibration.fit(raw, 0.1);
        for (double t : new double[]{10, 15, 20}) { // p = 4.5e-5, 3.1e-7, 2.1e-9: far past the rows
            double expected = t / Math.log(10);
            assertEquals(expected, fitted.rarity(t), 0.35 * expected, "rarity at " + t);
        }
    }

    @Test
    void rarityAndScoreGrowWithoutSaturatingAndStayFinite() {
        TailCalibration fitted = TailCalibration.fit(gaussian(100, 4), 0.1);
        double previous = -1;
        for (double raw = 0; raw < 1e6; raw = raw * 3 + 1) {
            double score = fitted.score(raw);
            assertTrue(score >= previous, "monotone at " + raw);
            previous = score;
        }
        assertTrue(fitted.score(1e3) > fitted.score(1e2) && fitted.score(1e2) > fitted.score(50));
        for (double raw : new double[]{Double.POSITIVE_INFINITY, Double.NaN, Double.MAX_VALUE, -1e308}) {
            double score = fitted.score(raw);
            assertTrue(Double.isFinite(score) && score >= 0 && score < 1, raw + " -> " + score);
        }
        assertEquals(Rarity.score(Rarity.MAX), fitted.score(Double.POSITIVE_INFINITY), 1e-12);
    }

    @Test
    void survivesCalibrationScoresThatMostlyTie() {
        double[] raw = new double[100];
        raw[99] = 1;
        TailCalibration fitted = TailCalibration.fit(raw, 0.01);
        assertTrue(Double.isFinite(fitted.threshold()));
        assertTrue(fitted.score(1) > fitted.score(0));
        assertTrue(Double.isFinite(fitted.score(2)));
    }

    @Test
    void theCombinedRarityIsTheHarmonicMeanOfTheTailProbabilities() {
        assertEquals(Rarity.of(3 / (1 / 0.5 + 1 / 0.5 + 1 / 1e-4)), Rarity.combined(new double[]{
                Rarity.of(0.5), Rarity.of(0.5), Rarity.of(1e-4)}, 3), 1e-9);
        assertEquals(4, Rarity.combined(new double[]{4, 4, 4}, 3), 1e-9, "detectors that agree keep their level");
        assertEquals(600, Rarity.combined(new double[]{600, 0.1, 0.2}, 3), 0.5, "no overflow far out");
        assertEquals(0.5, Rarity.score(Rarity.of(0.1)), 1e-12);
    }
}
