package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.contract.Criticality;

/**
 * Combines the detectors' scores on one message and grades it (README "Scores, rarity, criticality"):
 * <ul>
 * <li>final_score = {@link Rarity#score} of the detectors' combined rarity ({@link Rarity#combined}: the harmonic
 * mean of their tail probabilities), so it says, like each detector's score, how rare the record is under normal
 * behaviour;</li>
 * <li>the vote: final_score at or above the model set's ensemble threshold, the level that only
 * {@code contamination} of the calibration rows reach (calibrated at training like each detector's threshold);</li>
 * <li>criticality: low when the verdict is normal; otherwise from the combined tail probability p: critical when
 * p is at most {@code criticalProbability} (such a record is anomalous on its own), high at most
 * {@code highProbability}, medium above (high and medium: anomalies the persistence rule raised from recurring
 * evidence, graded by the record's own).</li>
 * </ul>
 */
public final class EnsembleRule {

    private EnsembleRule() {
    }

    public static boolean vote(double finalScore, double ensembleThreshold) {
        return finalScore >= ensembleThreshold;
    }

    /**
     * @param rarity         the record's combined rarity
     * @param highRarity     rarity of the high level's probability
     * @param criticalRarity rarity of the critical level's probability
     */
    public static Criticality criticality(boolean anomaly, double rarity, double highRarity, double criticalRarity) {
        if (!anomaly) {
            return Criticality.LOW;
        }
        return rarity >= criticalRarity ? Criticality.CRITICAL
                : rarity >= highRarity ? Criticality.HIGH : Criticality.MEDIUM;
    }
}
