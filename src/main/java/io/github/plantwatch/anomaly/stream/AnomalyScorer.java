package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.Excerpt;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.ModelScore;
import io.github.plantwatch.anomaly.contract.Rejection;
import io.github.plantwatch.anomaly.contract.RejectionReason;
import io.github.plantwatch.anomaly.detect.EnsembleRule;
import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import io.github.plantwatch.anomaly.observe.ServiceMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Scores a decoded batch with the model set in service: one batched call per detector per batch. Messages whose
 * feature names differ from the trained ones are rejected here. A sequence detector scores a message only once
 * its stream's window is full; until then it is left out of that message's scores and final score.
 */
public final class AnomalyScorer {

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyScorer.class);
    private static final int MISMATCH_NAMES_SHOWN = 5;

    private final ModelRegistry registry;
    private final StreamWindows windows;
    private final ServiceMetrics metrics;

    public AnomalyScorer(ModelRegistry registry, StreamWindows windows, ServiceMetrics metrics) {
        this.registry = registry;
        this.windows = windows;
        this.metrics = metrics;
    }

    public ScoredBatch score(DecodedBatch batch) {
        ModelSet models = registry.current().orElseThrow(
                () -> new IllegalStateException("no model set in service; the route should not be consuming"));
        List<DecodedBatch.Rejected> rejected = new ArrayList<>(batch.rejected());
        List<FeatureMessage> messages = new ArrayList<>(batch.accepted().size());
        List<double[]> standardized = new ArrayList<>(batch.accepted().size());
        for (DecodedBatch.Accepted accepted : batch.accepted()) {
            double[] vector = vector(accepted.message().features(), models.featureNames());
            if (vector == null) {
                Rejection rejection = new Rejection(RejectionReason.FEATURE_MISMATCH,
                        mismatch(accepted.message().features(), models.featureNames()));
                rejected.add(new DecodedBatch.Rejected(accepted.source(), rejection));
                FeatureBatchDecoder.logRejection(accepted.source(), rejection);
            } else {
                messages.add(accepted.message());
                standardized.add(models.standardizer().apply(vector));
            }
        }
        int n = messages.size();
        List<ModelScore>[] scores = scoreAll(models, messages, standardized);
        List<AnomalyResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(verdict(messages.get(i), scores[i], models.version()));
        }
        return new ScoredBatch(results, rejected);
    }

    /** Each message's scores, in the model set's order; a sequence model appears only where its window is full. */
    private List<ModelScore>[] scoreAll(ModelSet models, List<FeatureMessage> messages, List<double[]> standardized) {
        int n = messages.size();
        @SuppressWarnings("unchecked")
        List<ModelScore>[] scores = new List[n];
        double[][][] points = new double[n][][];
        for (int i = 0; i < n; i++) {
            scores[i] = new ArrayList<>(models.models().size());
            points[i] = new double[][]{standardized.get(i)};
        }
        double[][][] sequences = sequenceWindows(models, messages, standardized);
        for (TrainedModel model : models.models()) {
            int[] index = model.detector().windowLength() == 1 ? null : fullWindowIndex(sequences);
            double[][][] windowsToScore = index == null ? points : select(sequences, index);
            long started = System.nanoTime();
            double[] raw = model.detector().rawScores(windowsToScore);
            metrics.scoringCall(model.name(), System.nanoTime() - started);
            addScores(model, raw, index, scores);
        }
        return scores;
    }

    private double[][][] sequenceWindows(ModelSet models, List<FeatureMessage> messages, List<double[]> standardized) {
        int length = models.longestWindow();
        double[][][] sequences = new double[messages.size()][][];
        if (length > 1) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < sequences.length; i++) {
                sequences[i] = windows.append(messages.get(i).streamKey(), models.version(), length,
                        standardized.get(i), now);
            }
        }
        return sequences;
    }

    private static int[] fullWindowIndex(double[][][] sequences) {
        int count = 0;
        for (double[][] sequence : sequences) {
            if (sequence != null) {
                count++;
            }
        }
        int[] index = new int[count];
        for (int i = 0, k = 0; i < sequences.length; i++) {
            if (sequences[i] != null) {
                index[k++] = i;
            }
        }
        return index;
    }

    private static double[][][] select(double[][][] sequences, int[] index) {
        double[][][] selected = new double[index.length][][];
        for (int k = 0; k < index.length; k++) {
            selected[k] = sequences[index[k]];
        }
        return selected;
    }

    private static void addScores(TrainedModel model, double[] raw, int[] index, List<ModelScore>[] scores) {
        double threshold = model.calibration().threshold();
        for (int k = 0; k < raw.length; k++) {
            double score = model.calibration().normalize(raw[k]);
            scores[index == null ? k : index[k]].add(new ModelScore(score, model.name(), threshold, score >= threshold));
        }
    }

    private static AnomalyResult verdict(FeatureMessage message, List<ModelScore> scores, long version) {
        double finalScore = EnsembleRule.finalScore(scores);
        boolean anomaly = EnsembleRule.isAnomaly(scores);
        Criticality criticality = EnsembleRule.criticality(scores, anomaly);
        if (anomaly) {
            LOG.warn("Anomaly detected: {} (score={}, criticality={})", message.assetId(),
                    String.format("%.3f", finalScore), criticality.jsonName());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("No anomaly: {} (score={})", message.assetId(), String.format("%.3f", finalScore));
        }
        return new AnomalyResult(message.assetId(), message.sensorId(), message.timestamp(), scores, finalScore,
                anomaly, criticality, message.features(), message.metadata(), version);
    }

    /** The message's values in the trained order, or null when its names are not exactly the trained ones. */
    private static double[] vector(Map<String, Double> features, List<String> names) {
        if (features.size() != names.size()) {
            return null;
        }
        double[] vector = new double[names.size()];
        for (int j = 0; j < vector.length; j++) {
            Double value = features.get(names.get(j));
            if (value == null) {
                return null;
            }
            vector[j] = value;
        }
        return vector;
    }

    private static String mismatch(Map<String, Double> features, List<String> names) {
        TreeSet<String> missing = new TreeSet<>(names);
        missing.removeAll(features.keySet());
        TreeSet<String> unexpected = new TreeSet<>(features.keySet());
        names.forEach(unexpected::remove);
        return "features do not match the trained feature names: missing " + firstNames(missing)
                + ", unexpected " + firstNames(unexpected);
    }

    /** A few names, each cut short: a record may hold thousands of them, and the reason must not echo them all. */
    private static String firstNames(TreeSet<String> names) {
        List<String> shown = names.stream().limit(MISMATCH_NAMES_SHOWN).map(Excerpt::of).toList();
        return shown + (names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "");
    }
}
