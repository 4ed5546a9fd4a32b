package io.github.plantwatch.anomaly.detect;

/**
 * How rare a record is under normal behaviour, on one scale for every detector and the ensemble.
 * <p>
 * rarity = -log10(p), p = the tail probability: the share of normal records that would score at least as high.
 * A rarity of 2 means 1 normal record in 100 looks at least this odd, 6 means 1 in a million. It is kept in log
 * space so that it keeps growing with distance where p itself would underflow to 0.
 * <p>
 * score = rarity / (1 + rarity), in [0, 1): the {@code score} and {@code final_score} of results. Monotone and
 * never saturating (p = 0.1 gives 0.5, 10^-2 gives 0.667, 10^-4 0.8, 10^-6 0.857, 10^-12 0.923); its inverse is
 * rarity = score / (1 - score).
 */
public final class Rarity {

    /**
     * The largest rarity reported (p = 10^-1000, beyond anything a double holds): a non-finite raw score, from an
     * input so extreme that its squares overflow, is as rare as it gets, and no NaN or Infinity leaves scoring.
     */
    public static final double MAX = 1000;

    private Rarity() {
    }

    public static double of(double probability) {
        return bounded(-Math.log10(probability));
    }

    public static double score(double rarity) {
        return rarity / (1 + rarity);
    }

    /** Rarity of the tail probability {@code probability}, as a score: e.g. a detector's voting threshold. */
    public static double scoreOf(double probability) {
        return score(of(probability));
    }

    /**
     * The rarity of several detectors' tail probabilities combined: their harmonic mean p = n / sum(1 / p_i)
     * (Wilson, "The harmonic mean p-value for combining dependent tests", PNAS 2019). Close to valid whatever the
     * dependence between the detectors, dominated by the smallest p (one detector that sees a fault is not
     * averaged away: p = n * p_min when the others see nothing), and smaller still when they agree. Computed in
     * log space: log10(sum 10^r_i) - log10(n).
     */
    public static double combined(double[] rarities, int count) {
        double highest = 0;
        for (int i = 0; i < count; i++) {
            highest = Math.max(highest, rarities[i]);
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += Math.pow(10, rarities[i] - highest);
        }
        return Math.max(0, bounded(highest + Math.log10(sum) - Math.log10(count)));
    }

    private static double bounded(double rarity) {
        return rarity >= 0 ? Math.min(rarity, MAX) : Double.isNaN(rarity) ? MAX : 0;
    }
}
