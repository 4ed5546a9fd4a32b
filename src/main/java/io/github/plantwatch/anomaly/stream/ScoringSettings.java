package io.github.plantwatch.anomaly.stream;

/**
 * How the stream turns detector scores into verdicts ({@code scoring.*} in application.properties).
 *
 * @param persistenceWindow     n: the persistence rule looks at a stream's last n ensemble votes (1 = off)
 * @param persistenceMinimum    k: a record is anomalous when at least k of those n votes are, unless the last k
 *                              were all quiet ({@link PersistenceRule})
 * @param immediateScore        a vote whose final score reaches this is anomalous at once, without waiting for k
 *                              (0.95: the models put it, on average, about 6 robust standard deviations above
 *                              their held-out normal scores)
 * @param baselineHalfLife      adaptive baseline of wandering features: records after which a shift of such a
 *                              feature is half absorbed; 0 = off (the training level stays)
 * @param baselineGate          a value more than this many training standard deviations off its baseline teaches
 *                              the baseline nothing
 * @param normalHalfLife        adaptive baseline of every feature from records judged normal, applied once their
 *                              batch is scored; 0 = off
 * @param topFeatures           how many features an anomalous result names
 * @param maxStreams            streams whose state is kept (least recently seen evicted)
 * @param streamIdleMillis      a stream idle this long is forgotten
 */
public record ScoringSettings(int persistenceWindow, int persistenceMinimum, double immediateScore,
                              int baselineHalfLife, double baselineGate, int normalHalfLife,
                              int topFeatures, int maxStreams, long streamIdleMillis) {

    public ScoringSettings {
        if (persistenceWindow < 1 || persistenceMinimum < 1 || persistenceMinimum > persistenceWindow) {
            throw new IllegalArgumentException("persistence: need 1 <= min-anomalies <= window, got "
                    + persistenceMinimum + " of " + persistenceWindow);
        }
        if (baselineHalfLife < 0 || normalHalfLife < 0 || topFeatures < 0) {
            throw new IllegalArgumentException("baseline half-lives and top-features must be >= 0");
        }
    }

    /** The share of its deviation from the baseline that one record moves a wandering feature's baseline by. */
    double baselineRate() {
        return rate(baselineHalfLife);
    }

    /** The same for every feature, from records judged normal. */
    double normalRate() {
        return rate(normalHalfLife);
    }

    private static double rate(int halfLife) {
        return halfLife == 0 ? 0 : 1 - Math.pow(0.5, 1.0 / halfLife);
    }
}
