package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.ModelScore;

import java.util.List;

/**
 * Combines the detectors' verdicts on one message (README "Scores, thresholds, criticality"):
 * <ul>
 * <li>final_score = mean of the models' scores;</li>
 * <li>the vote: the highest of the models' scores at or above the model set's ensemble threshold, the level the
 * highest score passes on only {@code contamination} of the held-out normal rows (calibrated at training like the
 * models' own thresholds, so looking at several detectors does not multiply false votes). The most alarmed
 * detector decides: one that sees a fault the others miss is not averaged away. For model sets without an
 * ensemble threshold, a strict majority of the models flag it (2 of 3; both when only 2 could score);</li>
 * <li>criticality: low when not an anomaly; otherwise from severity = mean over the models of how far each score
 * went past its threshold, as a fraction of the room above it, (score - threshold) / (1 - threshold), clipped to
 * [0, 1]: medium below 0.25, high below 0.5, critical from 0.5.</li>
 * </ul>
 */
public final class EnsembleRule {

    private EnsembleRule() {
    }

    public static double finalScore(List<ModelScore> scores) {
        double sum = 0;
        for (ModelScore score : scores) {
            sum += score.score();
        }
        return sum / scores.size();
    }

    /** @param ensembleThreshold the model set's; 0 or less = none, the majority decides */
    public static boolean vote(List<ModelScore> scores, double ensembleThreshold) {
        return ensembleThreshold > 0 ? highestScore(scores) >= ensembleThreshold : isAnomaly(scores);
    }

    public static double highestScore(List<ModelScore> scores) {
        double highest = 0;
        for (ModelScore score : scores) {
            highest = Math.max(highest, score.score());
        }
        return highest;
    }

    public static boolean isAnomaly(List<ModelScore> scores) {
        int votes = 0;
        for (ModelScore score : scores) {
            if (score.isAnomaly()) {
                votes++;
            }
        }
        return votes * 2 > scores.size();
    }

    public static Criticality criticality(List<ModelScore> scores, boolean anomaly) {
        if (!anomaly) {
            return Criticality.LOW;
        }
        double severity = 0;
        for (ModelScore score : scores) {
            double room = Math.max(1e-9, 1.0 - score.threshold());
            severity += Math.clamp((score.score() - score.threshold()) / room, 0.0, 1.0);
        }
        severity /= scores.size();
        if (severity < 0.25) {
            return Criticality.MEDIUM;
        }
        return severity < 0.5 ? Criticality.HIGH : Criticality.CRITICAL;
    }
}
