package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.contract.Criticality;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnsembleRuleTest {

    private static final double HIGH = Rarity.of(1e-4);
    private static final double CRITICAL = Rarity.of(1e-6);

    @Test
    void criticalityGradesTheCombinedTailProbabilityOfAnAnomaly() {
        assertEquals(Criticality.LOW, EnsembleRule.criticality(false, Rarity.of(1e-9), HIGH, CRITICAL),
                "a normal verdict is low whatever its score");
        assertEquals(Criticality.MEDIUM, EnsembleRule.criticality(true, Rarity.of(0.05), HIGH, CRITICAL));
        assertEquals(Criticality.MEDIUM, EnsembleRule.criticality(true, Rarity.of(2e-4), HIGH, CRITICAL));
        assertEquals(Criticality.HIGH, EnsembleRule.criticality(true, Rarity.of(1e-4), HIGH, CRITICAL));
        assertEquals(Criticality.HIGH, EnsembleRule.criticality(true, Rarity.of(5e-6), HIGH, CRITICAL));
        assertEquals(Criticality.CRITICAL, EnsembleRule.criticality(true, Rarity.of(1e-6), HIGH, CRITICAL));
        assertEquals(Criticality.CRITICAL, EnsembleRule.criticality(true, Rarity.MAX, HIGH, CRITICAL));
    }

    @Test
    void theEnsembleVotesFromItsCalibratedThreshold() {
        assertTrue(EnsembleRule.vote(0.61, 0.6));
        assertTrue(EnsembleRule.vote(0.6, 0.6));
        assertFalse(EnsembleRule.vote(0.59, 0.6));
    }
}
