package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.Standardizer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the persistence rule counts votes that rest on a sequence detector's window (6 of 20, a window of 10). */
class PersistenceRuleTest {

    private static final int WINDOW = 10;
    private final PersistenceRule rule = new PersistenceRule(6, 4);

    private static final Standardizer STANDARDIZER = new Standardizer(new double[1], new double[]{1}, new boolean[1]);

    private static StreamState stream() {
        return new StreamState("global#1", STANDARDIZER, WINDOW, 20, (StreamHistory) null);
    }

    @Test
    void aRunOfWindowVotesIsOnePieceOfEvidenceAndRaisesNoAlarm() {
        StreamState state = stream();
        int flagged = 0;
        for (int i = 0; i < WINDOW; i++) {
            flagged = rule.cast(state, true, true, WINDOW);
            assertFalse(rule.anomalous(flagged, state.quietVotes(), 0), "vote " + i);
        }
        assertEquals(1, flagged, "one record's error carried through the window counts once");
        assertEquals(2, rule.cast(state, true, true, WINDOW), "a window later it is new evidence");
    }

    @Test
    void pointVotesCountEachAndAWindowVoteStillCountsOncePerWindow() {
        StreamState state = stream();
        assertEquals(1, rule.cast(state, true, true, WINDOW));
        assertEquals(1, rule.cast(state, true, true, WINDOW));
        assertEquals(2, rule.cast(state, true, false, WINDOW), "a point detector's vote is the record's own");
        assertEquals(3, rule.cast(state, true, false, WINDOW));
        assertEquals(3, rule.cast(state, false, false, WINDOW), "no vote counts nothing");
    }

    @Test
    void insideAnAlarmEveryVoteCountsSoTheAlarmDoesNotFlicker() {
        StreamState state = stream();
        int flagged = 0;
        for (int i = 0; i < 6; i++) {
            flagged = rule.cast(state, true, false, WINDOW);
        }
        assertTrue(rule.anomalous(flagged, state.quietVotes(), 0));
        for (int i = 0; i < 14; i++) {
            flagged = rule.cast(state, true, true, WINDOW);
            assertTrue(rule.anomalous(flagged, state.quietVotes(), 0), "window vote " + i + " inside the alarm");
        }
        assertEquals(20, flagged);
    }

    @Test
    void theCountSurvivesASnapshot() {
        StreamState state = stream();
        rule.cast(state, true, true, WINDOW);
        StreamSnapshot snapshot = StreamSnapshot.decode(state.snapshot("PUMP-1").encode());
        StreamState restored = new StreamState(snapshot, STANDARDIZER, WINDOW, 20, null);
        assertEquals(1, rule.cast(restored, true, true, WINDOW), "the restored stream knows the window is counted");
    }
}
