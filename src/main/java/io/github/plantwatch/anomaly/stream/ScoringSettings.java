package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.Rarity;

/**
 * How the stream turns detector scores into verdicts ({@code scoring.*} in application.properties).
 *
 * @param persistenceWindow   n: the persistence rule looks at a stream's last n ensemble votes (1 = off)
 * @param persistenceMinimum  k: a record is anomalous when at least k of those n votes are, unless the last k
 *                            were all quiet ({@link PersistenceRule})
 * @param highProbability     an anomaly whose combined tail probability is at most this is {@code high}; a record
 *                            this rare is anomalous at once, whatever the votes
 * @param criticalProbability an anomaly whose combined tail probability is at most this is {@code critical}
 * @param baselineHalfLife    adaptive baseline of wandering features: records after which a shift of such a
 *                            feature is half absorbed; 0 = off (the training level stays)
 * @param baselineGate        a value more than this many training standard deviations off its baseline teaches
 *                            the wandering baseline nothing
 * @param normalHalfLife      adaptive baseline of every feature from records judged normal (no vote, no
 *                            anomaly): records after which a shift is half absorbed; 0 = off
 * @param normalClearance     what records judged normal teach is applied only once the stream has had no anomaly
 *                            for this many records in a row
 * @param settleRecords       a stream anomalous at a level that has stopped moving for this many records takes
 *                            that level as its new normal ({@link StreamState}); 0 = never
 * @param settleTolerance     how far (training standard deviations) the stream's recent level may move and still
 *                            count as not moving
 * @param topFeatures         how many features an anomalous result names
 * @param maxStreams          streams whose state is kept (least recently seen evicted)
 * @param streamIdleMillis    a stream idle this long is forgotten
 * @param retraining          automatic retraining per asset from the streams' recent records
 * @param episodeQuietRecords a stream's anomaly episode closes after this many verdicts in a row that are not
 *                            anomalous ({@code contract/EpisodeEvent})
 * @param recalibrationRecords a model set's ensemble threshold is recalibrated once on the final scores of this many
 *                             of its records judged normal in service ({@link ThresholdRecalibration}); 0 = never
 */
public record ScoringSettings(int persistenceWindow, int persistenceMinimum, double highProbability,
                              double criticalProbability, int baselineHalfLife, double baselineGate,
                              int normalHalfLife, int normalClearance, int settleRecords, double settleTolerance,
                              int topFeatures, int maxStreams, long streamIdleMillis,
                              RetrainingSettings retraining, int episodeQuietRecords,
                              int recalibrationRecords) {

    public ScoringSettings {
        if (persistenceWindow < 1 || persistenceMinimum < 1 || persistenceMinimum > persistenceWindow) {
            throw new IllegalArgumentException("persistence: need 1 <= min-anomalies <= window, got "
                    + persistenceMinimum + " of " + persistenceWindow);
        }
        if (!(criticalProbability > 0 && criticalProbability <= highProbability && highProbability < 1)) {
            throw new IllegalArgumentException("criticality levels: need 0 < critical-probability <= "
                    + "high-probability < 1, got " + criticalProbability + " and " + highProbability);
        }
        if (baselineHalfLife < 0 || normalHalfLife < 0 || normalClearance < 1 || settleRecords < 0
                || topFeatures < 0) {
            throw new IllegalArgumentException("baseline half-lives, settle records and top-features must be >= 0, "
                    + "clearance >= 1");
        }
        if (recalibrationRecords < 0) {
            throw new IllegalArgumentException("recalibration records must be >= 0, got " + recalibrationRecords);
        }
        retraining = retraining == null ? RetrainingSettings.OFF : retraining;
        if (!(settleTolerance > 0)) {
            throw new IllegalArgumentException("settle tolerance must be > 0, got " + settleTolerance);
        }
    }

    /** The same settings without automatic retraining: how a candidate is checked before it is promoted. */
    public ScoringSettings withoutRetraining() {
        return new ScoringSettings(persistenceWindow, persistenceMinimum, highProbability, criticalProbability,
                baselineHalfLife, baselineGate, normalHalfLife, normalClearance, settleRecords, settleTolerance, topFeatures,
                maxStreams, streamIdleMillis, RetrainingSettings.OFF, episodeQuietRecords,
                recalibrationRecords);
    }

    public double highRarity() {
        return Rarity.of(highProbability);
    }

    public double criticalRarity() {
        return Rarity.of(criticalProbability);
    }

    /** The share of its deviation from the baseline that one record moves a wandering feature's baseline by. */
    double baselineRate() {
        return rate(baselineHalfLife);
    }

    /** The same for every feature, from records judged normal. */
    double normalRate() {
        return rate(normalHalfLife);
    }

    /** The recent level the settle rule watches: an average over about a tenth of the settle time. */
    double settleRate() {
        return rate(Math.max(1, settleRecords / 10));
    }

    static double rate(int halfLife) {
        return halfLife == 0 ? 0 : 1 - Math.pow(0.5, 1.0 / halfLife);
    }

    /**
     * How many of each stream's first fully scored normal records do not count towards recalibration: two half-lives
     * of its normal baseline, which starts at the training level and by then has taken three quarters of the
     * stream's own offset (docs/accuracy.md, "Recalibrating in service").
     */
    public int recalibrationWarmUp() {
        return 2 * normalHalfLife;
    }
}
