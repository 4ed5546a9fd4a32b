package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.EpisodeEvent;
import io.github.plantwatch.anomaly.contract.FeatureContribution;
import io.github.plantwatch.anomaly.contract.FeatureRange;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream's anomaly episode as its verdicts build it (see {@link EpisodeEvent}): opens on the first anomalous
 * verdict, rises with its criticality, closes after {@code quietRecords} verdicts in a row that are not anomalous.
 * Mutable, owned by its stream's state; its fields go into the stream's snapshot, so a restart neither repeats nor
 * loses an episode.
 */
final class Episode {

    /** How many episodes the stream has opened (the next one's number is this + 1). */
    long opened;
    boolean open;
    String openedAt;
    Criticality peak = Criticality.LOW;
    double peakScore;
    List<FeatureContribution> peakFeatures = List.of();
    long records;
    int quiet;
    /** Per feature, the lowest and highest value of the episode's anomalous records. */
    TreeMap<String, double[]> envelope = new TreeMap<>();

    Episode copy() {
        Episode copy = new Episode();
        copy.opened = opened;
        copy.open = open;
        copy.openedAt = openedAt;
        copy.peak = peak;
        copy.peakScore = peakScore;
        copy.peakFeatures = peakFeatures;
        copy.records = records;
        copy.quiet = quiet;
        envelope.forEach((name, range) -> copy.envelope.put(name, range.clone()));
        return copy;
    }

    /** The event this verdict makes, or null when it changes nothing an operator is told about. */
    EpisodeEvent after(AnomalyResult result, int quietRecords) {
        if (result.isAnomaly()) {
            quiet = 0;
            records++;
            if (!open) {
                open = true;
                opened++;
                openedAt = result.timestamp();
                records = 1;
                envelope.clear();
                widen(result);
                peakAt(result);
                return event(EpisodeEvent.OPENED, result, null);
            }
            widen(result);
            boolean rises = result.criticality().compareTo(peak) > 0;
            if (rises || result.criticality() == peak && result.finalScore() > peakScore) {
                peakAt(result);
            }
            return rises ? event(EpisodeEvent.UPDATED, result, null) : null;
        }
        if (open && ++quiet >= quietRecords) {
            open = false;
            EpisodeEvent closed = event(EpisodeEvent.CLOSED, result, result.timestamp());
            quiet = 0;
            return closed;
        }
        return null;
    }

    /** The envelope takes in an anomalous record's values. */
    private void widen(AnomalyResult result) {
        for (Map.Entry<String, Double> feature : result.features().entrySet()) {
            double value = feature.getValue();
            double[] range = envelope.computeIfAbsent(feature.getKey(), name -> new double[]{value, value});
            range[0] = Math.min(range[0], value);
            range[1] = Math.max(range[1], value);
        }
    }

    List<FeatureRange> envelope() {
        return envelope.entrySet().stream()
                .map(e -> new FeatureRange(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
    }

    /** This record is the episode's peak now. */
    private void peakAt(AnomalyResult result) {
        peak = result.criticality();
        peakScore = result.finalScore();
        peakFeatures = List.copyOf(result.topFeatures());
    }

    private EpisodeEvent event(String kind, AnomalyResult result, String closedAt) {
        return new EpisodeEvent(result.assetId() + '/' + (result.sensorId() == null ? "-" : result.sensorId()) + '/'
                + opened, kind, result.assetId(), result.sensorId(), openedAt, result.timestamp(), closedAt, peak,
                peakScore, peakFeatures, records, result.modelScope(), result.modelVersion(), envelope());
    }
}
