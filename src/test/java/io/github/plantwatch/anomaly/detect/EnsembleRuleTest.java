package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.ModelScore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnsembleRuleTest {

    private static ModelScore score(double score, double threshold) {
        return new ModelScore(score, "m", threshold, score >= threshold);
    }

    @Test
    void finalScoreIsTheMeanOfTheModelScores() {
        assertEquals(0.75, EnsembleRule.finalScore(List.of(score(0.75, 0.1), score(0.68, 0.1), score(0.82, 0.95))), 1e-12);
    }

    @Test
    void anAnomalyNeedsAStrictMajority() {
        assertTrue(EnsembleRule.isAnomaly(List.of(score(0.9, 0.8), score(0.9, 0.8), score(0.1, 0.8))));
        assertFalse(EnsembleRule.isAnomaly(List.of(score(0.9, 0.8), score(0.1, 0.8), score(0.1, 0.8))));
        assertFalse(EnsembleRule.isAnomaly(List.of(score(0.9, 0.8), score(0.1, 0.8))), "one of two is not a majority");
        assertTrue(EnsembleRule.isAnomaly(List.of(score(0.9, 0.8), score(0.85, 0.8))));
    }

    @Test
    void criticalityGrowsWithHowFarPastTheThresholdsTheScoresWent() {
        assertEquals(Criticality.LOW, EnsembleRule.criticality(List.of(score(0.95, 0.8)), false));
        assertEquals(Criticality.MEDIUM, EnsembleRule.criticality(List.of(score(0.82, 0.8), score(0.84, 0.8)), true));
        assertEquals(Criticality.HIGH, EnsembleRule.criticality(List.of(score(0.88, 0.8), score(0.86, 0.8)), true));
        assertEquals(Criticality.CRITICAL, EnsembleRule.criticality(List.of(score(0.99, 0.8), score(0.95, 0.8)), true));
    }

    @Test
    void aCalibratedEnsembleVotesOnItsMostAlarmedDetector() {
        assertTrue(EnsembleRule.vote(List.of(score(0.2, 0.8), score(0.93, 0.8), score(0.4, 0.8)), 0.9),
                "one detector past the ensemble threshold is enough");
        assertFalse(EnsembleRule.vote(List.of(score(0.85, 0.8), score(0.88, 0.8), score(0.4, 0.8)), 0.9),
                "past their own thresholds but not the ensemble's: no vote");
        assertTrue(EnsembleRule.vote(List.of(score(0.85, 0.8), score(0.88, 0.8), score(0.4, 0.8)), 0),
                "a model set without an ensemble threshold keeps the majority vote");
    }
}
