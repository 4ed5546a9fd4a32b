package io.github.plantwatch.anomaly.evaluate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SKAB's metrics on cases small enough to count by hand. */
class SkabMetricsTest {

    private static final long[] SECONDS = new long[200];
    private static final int[] CHANGEPOINTS = new int[200];

    static {
        for (int i = 0; i < 200; i++) {
            SECONDS[i] = 1_000 + i;
        }
        CHANGEPOINTS[50] = 1;
        CHANGEPOINTS[150] = 1;
    }

    private static boolean[] ones(int from, int to) {
        boolean[] predicted = new boolean[200];
        for (int i = from; i < to; i++) {
            predicted[i] = true;
        }
        return predicted;
    }

    private static double nab(boolean[] predicted, NabScore.Profile profile) {
        NabScore score = new NabScore(60);
        score.add(SECONDS, CHANGEPOINTS, predicted);
        return score.result(profile);
    }

    @Test
    void pointMetricsFollowSkabsDefinitions() {
        BinaryCounts counts = new BinaryCounts();
        counts.add(new int[]{1, 1, 0, 0, 0}, new boolean[]{true, false, true, false, false});
        assertEquals(1 / (1 + (1 + 1) / 2.0), counts.f1(), 1e-12);
        assertEquals(100.0 / 3, counts.falseAlarmRate(), 1e-12);
        assertEquals(50.0, counts.missingAlarmRate(), 1e-12);
    }

    @Test
    void nabGivesTheNullDetectorZeroAndThePerfectOneHundred() {
        for (NabScore.Profile profile : NabScore.Profile.values()) {
            assertEquals(0, nab(new boolean[200], profile), 1e-12);
            // edges exactly at both changepoints: 0->1 at 50, 1->0 at 150
            assertEquals(100, nab(ones(50, 150), profile), 1e-12);
        }
    }

    @Test
    void nabCountsHitsMissesAndFalseAlarmsByProfile() {
        // one edge at the first changepoint, none in the second window: A_tp + A_fn against null 2 A_fn
        assertEquals(50, nab(ones(50, 200), NabScore.Profile.STANDARD), 1e-12);
        assertEquals(100 * (1 - 2 + 4) / 6.0, nab(ones(50, 200), NabScore.Profile.LOW_FN), 1e-12);
        // plus a blip at 10..11: two edges outside every window, each A_fp
        boolean[] withBlip = ones(50, 200);
        withBlip[10] = true;
        assertEquals(100 * (1 - 1 - 0.22 + 2) / 4, nab(withBlip, NabScore.Profile.STANDARD), 1e-12);
        assertEquals(100 * (1 - 1 - 0.44 + 2) / 4, nab(withBlip, NabScore.Profile.LOW_FP), 1e-12);
    }

    @Test
    void aLateDetectionScoresLessThanAnEarlyOne() {
        // detected half-way through the first window (30 s late), the second missed
        double late = nab(ones(80, 200), NabScore.Profile.STANDARD);
        double halfWay = (1 + 0.11) / 2 * -Math.tanh(-Math.PI / 2 + 500 * Math.PI / 999) / Math.tanh(Math.PI / 2)
                + (1 + 0.11) / 2 - 0.11;
        assertEquals(100 * (halfWay - 1 + 2) / 4, late, 1e-9);
        assertEquals(true, late < nab(ones(50, 200), NabScore.Profile.STANDARD));
    }
}
