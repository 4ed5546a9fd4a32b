package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.FeatureContribution;
import io.github.plantwatch.anomaly.contract.Excerpt;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.ModelScore;
import io.github.plantwatch.anomaly.contract.Rejection;
import io.github.plantwatch.anomaly.contract.RejectionReason;
import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.EnsembleRule;
import io.github.plantwatch.anomaly.detect.FeatureAttribution;
import io.github.plantwatch.anomaly.detect.ModelResolver;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The scoring core, free of Kafka and Camel: turns feature messages, in stream order, into verdicts with the model
 * set of each message's asset. Per message: standardize against the stream's baseline, score with every detector
 * (a sequence detector once its stream's window is full), vote (ensemble rule), apply the stream's persistence
 * rule, explain an anomaly, and let a normal record update the stream's adaptive baseline. Causal: a verdict uses
 * only that record and earlier records of its stream.
 */
public final class MessageScorer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageScorer.class);

    private static final int MISMATCH_NAMES_SHOWN = 5;

    private final ModelResolver models;
    private final StreamStates states;
    private final ScoringSettings settings;
    private final PersistenceRule persistence;
    private final DetectorTiming timing;

    /** Receives how long each detector took on each message (the service's metrics; nothing when evaluating). */
    @FunctionalInterface
    public interface DetectorTiming {
        void record(String model, long nanos);
    }

    public MessageScorer(ModelResolver models, ScoringSettings settings) {
        this(models, settings, (model, nanos) -> { });
    }

    public MessageScorer(ModelResolver models, ScoringSettings settings, DetectorTiming timing) {
        this.models = models;
        this.settings = settings;
        this.timing = timing;
        this.persistence = new PersistenceRule(settings.persistenceMinimum(), settings.immediateScore());
        this.states = new StreamStates(settings.maxStreams(), settings.streamIdleMillis(),
                settings.persistenceWindow());
    }

    /** A message's verdict, or why it could not be scored. */
    public record Outcome(AnomalyResult result, Rejection rejection) {
    }

    /**
     * One outcome per message, in order. Messages of one stream must come in their stream's order. All messages of
     * one asset in the call are scored by the same model set, even if training swaps it meanwhile.
     */
    public List<Outcome> score(List<FeatureMessage> messages) {
        long now = System.currentTimeMillis();
        Map<String, Optional<ModelSet>> resolved = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>(messages.size());
        for (FeatureMessage message : messages) {
            Optional<ModelSet> set = resolved.computeIfAbsent(message.assetId(), models::forAsset);
            outcomes.add(set.isPresent() ? score(message, set.get(), now)
                    : new Outcome(null, new Rejection(RejectionReason.NO_MODEL, "no model set serves asset "
                    + message.assetId() + ": train a global one, or one for the asset or its model group")));
        }
        return outcomes;
    }

    private Outcome score(FeatureMessage message, ModelSet set, long now) {
        double[] observed = vector(message.features(), set.featureNames());
        if (observed == null) {
            return new Outcome(null, new Rejection(RejectionReason.FEATURE_MISMATCH,
                    mismatch(message.features(), set.featureNames())));
        }
        StreamState state = states.state(message.streamKey(), set, now);
        double[] z = state.standardize(set.standardizer(), observed);
        double[][] window = set.longestWindow() > 1 ? state.push(z) : null;
        Explanation explanation = new Explanation(z.length);
        List<ModelScore> scores = detectorScores(set, z, window, explanation, timing);

        boolean vote = EnsembleRule.vote(scores, set.ensembleThreshold());
        int flaggedVotes = state.vote(vote);
        double finalScore = EnsembleRule.finalScore(scores);
        boolean anomaly = persistence.anomalous(flaggedVotes, state.quietVotes(), vote, finalScore);
        Criticality criticality = EnsembleRule.criticality(scores, anomaly);
        List<FeatureContribution> top = anomaly // expected values: the baseline this record was judged against
                ? explanation.top(settings.topFeatures(), set, observed, state) : List.of();
        if (settings.baselineHalfLife() > 0) {
            state.learn(z, settings.baselineRate(), settings.baselineGate(), set.standardizer().wandering());
        }
        if (settings.normalHalfLife() > 0 && !anomaly && !vote) {
            state.learn(z, settings.normalRate(), Double.MAX_VALUE, null);
        }
        if (anomaly) {
            LOG.warn("Anomaly detected: {} (score={}, criticality={})", message.assetId(),
                    String.format("%.3f", finalScore), criticality.jsonName());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("No anomaly: {} (score={})", message.assetId(), String.format("%.3f", finalScore));
        }
        return new Outcome(new AnomalyResult(message.assetId(), message.sensorId(), message.timestamp(), scores,
                finalScore, anomaly, criticality, message.features(), message.metadata(), set.version(),
                set.scope().key(), top), null);
    }

    /** Each detector's score, in the model set's order; a sequence detector only once the window is full. */
    private static List<ModelScore> detectorScores(ModelSet set, double[] z, double[][] window,
                                                   Explanation explanation, DetectorTiming timing) {
        List<ModelScore> scores = new ArrayList<>(set.models().size());
        double[] deviation = null;
        for (TrainedModel model : set.models()) {
            Detector detector = model.detector();
            int length = detector.windowLength();
            long started = System.nanoTime();
            double raw;
            double[] evidence;
            double[] expected = null;
            if (length == 1) {
                raw = detector.rawScore(new double[][]{z});
                if (deviation == null) {
                    deviation = deviation(z);
                }
                evidence = deviation;
            } else if (window == null) {
                continue;
            } else {
                double[][] own = length == window.length ? window
                        : Arrays.copyOfRange(window, window.length - length, window.length);
                if (detector instanceof FeatureAttribution attribution) {
                    evidence = new double[z.length];
                    expected = new double[z.length];
                    raw = attribution.explain(own, evidence, expected);
                } else {
                    raw = detector.rawScore(own);
                    evidence = deviation(z);
                }
            }
            timing.record(model.name(), System.nanoTime() - started);
            double score = model.calibration().normalize(raw);
            double threshold = model.calibration().threshold();
            boolean flagged = score >= threshold;
            scores.add(new ModelScore(score, model.name(), threshold, flagged));
            explanation.add(evidence, flagged);
            if (flagged && expected != null) {
                explanation.expect(expected);
            }
        }
        return scores;
    }

    /** Point evidence: each feature's squared standardized deviation from the stream's baseline. */
    private static double[] deviation(double[] z) {
        double[] d = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            d[j] = z[j] * z[j];
        }
        return d;
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
