package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.Standardizer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamStatesTest {

    /** One feature, standardized as it is. */
    private static final Standardizer TRAINED = new Standardizer(new double[]{0}, new double[]{1},
            new boolean[]{false});

    private static double[] v(double x) {
        return new double[]{x};
    }

    private static double[][] append(StreamStates states, String stream, String model, int length, double x,
                                     long now) {
        return states.state(stream, model, length, TRAINED, now).push(v(x));
    }

    @Test
    void returnsTheLastVectorsOldestFirstOnceTheWindowIsFull() {
        StreamStates states = new StreamStates(10, 60_000, 1);
        assertNull(append(states, "a", "m1", 3, 1, 0));
        assertNull(append(states, "a", "m1", 3, 2, 0));
        assertArrayEquals(new double[][]{v(1), v(2), v(3)}, append(states, "a", "m1", 3, 3, 0));
        assertArrayEquals(new double[][]{v(2), v(3), v(4)}, append(states, "a", "m1", 3, 4, 0));
    }

    @Test
    void aFarOutRecordIsRememberedAsTheBaselineInTheWindow() {
        StreamStates states = new StreamStates(10, 60_000, 1);
        append(states, "a", "m1", 3, 1, 0);
        append(states, "a", "m1", 3, 2, 0);
        assertArrayEquals(new double[][]{v(1), v(2), v(40)}, append(states, "a", "m1", 3, 40, 0),
                "the record judged is as it came");
        states.state("a", "m1", 3, TRAINED, 0).forgetNewest();
        assertArrayEquals(new double[][]{v(2), v(0), v(-1)}, append(states, "a", "m1", 3, -1, 0),
                "the next records are judged after the baseline, not after the outlier");
    }

    @Test
    void aLevelThatHasStoppedMovingBecomesTheNewNormalButADevelopingFaultDoesNot() {
        StreamState settled = new StreamStates(10, 60_000, 1).state("a", "m1", 1, TRAINED, 0);
        int adoptedAt = -1;
        for (int t = 0; t < 200 && adoptedAt < 0; t++) {
            settled.vote(true);
            double[] z = settled.standardize(v(t < 20 ? 2.0 * t / 20 : 2.0)); // a ramp, then a plateau
            if (settled.settle(z, true, ScoringSettings.rate(5), 50, 0.5)) {
                adoptedAt = t;
            }
        }
        assertTrue(adoptedAt >= 70 && adoptedAt < 120, "adopted 50 steady records after the plateau: " + adoptedAt);
        assertEquals(0, settled.standardize(v(2.0))[0], 0.05, "the plateau is the new baseline");

        StreamState developing = new StreamStates(10, 60_000, 1).state("b", "m1", 1, TRAINED, 0);
        for (int t = 0; t < 1000; t++) {
            developing.vote(true);
            double[] z = developing.standardize(v(0.02 * t)); // 1 SD every 50 records, for 1000
            assertFalse(developing.settle(z, true, ScoringSettings.rate(5), 50, 0.5), "record " + t);
        }
    }

    @Test
    void keepsStreamsApart() {
        StreamStates states = new StreamStates(10, 60_000, 1);
        append(states, "a", "m1", 2, 1, 0);
        assertNull(append(states, "b", "m1", 2, 9, 0));
        assertArrayEquals(new double[][]{v(1), v(2)}, append(states, "a", "m1", 2, 2, 0));
    }

    @Test
    void evictsTheLeastRecentlySeenStreamBeyondTheBound() {
        StreamStates states = new StreamStates(2, 60_000, 1);
        append(states, "a", "m1", 2, 1, 0);
        append(states, "b", "m1", 2, 1, 1);
        append(states, "a", "m1", 2, 2, 2);
        append(states, "c", "m1", 2, 1, 3);
        assertEquals(2, states.size());
        assertNotNull(append(states, "a", "m1", 2, 3, 4), "a was kept");
        assertNull(append(states, "b", "m1", 2, 2, 5), "b was evicted, its window restarts");
    }

    @Test
    void forgetsIdleStreamsAndRestartsOnANewModelSet() {
        StreamStates states = new StreamStates(10, 1_000, 1);
        append(states, "idle", "m1", 2, 1, 0);
        append(states, "busy", "m1", 2, 1, 0);
        append(states, "busy", "m1", 2, 2, 5_000);
        assertEquals(1, states.size());
        assertNull(append(states, "busy", "m2", 2, 3, 5_001), "another model set: the window restarts");
    }

    @Test
    void countsTheFlaggedVotesAmongTheLastN() {
        StreamState state = new StreamStates(10, 60_000, 3).state("a", "m1", 1, TRAINED, 0);
        assertEquals(1, state.vote(true));
        assertEquals(1, state.vote(false));
        assertEquals(2, state.vote(true));
        assertEquals(1, state.vote(false), "the first vote has left the window of 3");
    }
}
