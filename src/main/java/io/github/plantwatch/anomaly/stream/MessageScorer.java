package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.FeatureContribution;
import io.github.plantwatch.anomaly.contract.Excerpt;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.ModelScore;
import io.github.plantwatch.anomaly.contract.Rejection;
import io.github.plantwatch.anomaly.contract.RejectionReason;
import io.github.plantwatch.anomaly.detect.EnsembleRule;
import io.github.plantwatch.anomaly.detect.ModelResolver;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The scoring core, free of Kafka and Camel: turns feature messages, in stream order, into verdicts with the model
 * set of each message's asset. In three passes over a batch: per message, standardize against the stream's
 * baseline, append to the stream's window and let the stream's adaptive baseline follow the record; then each
 * detector once for all the messages of a model set (a sequence detector for those whose window is full); then,
 * per message in order, vote (ensemble rule), apply the stream's persistence rule and explain an anomaly. Causal:
 * a verdict uses only that record and earlier records of its stream.
 */
public final class MessageScorer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageScorer.class);

    private static final int MISMATCH_NAMES_SHOWN = 5;

    private final ModelResolver models;
    private final StreamStates states;
    private final ScoringSettings settings;
    private final PersistenceRule persistence;
    private final DetectorTiming timing;

    /** Receives how long each detector's batched call took (the service's metrics; nothing when evaluating). */
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
        Outcome[] outcomes = new Outcome[messages.size()];
        Collection<ModelSetBatch> batches = prepare(messages, outcomes);
        for (ModelSetBatch batch : batches) {
            batch.score(timing);
            for (int e = 0; e < batch.entries.size(); e++) {
                outcomes[batch.entries.get(e).index()] = new Outcome(verdict(batch, e), null);
            }
        }
        return Arrays.asList(outcomes);
    }

    /**
     * First pass, in message order: each message's vectors and stream, grouped by model set; the messages no set
     * can score get their outcome here. The wandering features' baselines follow each record as it comes (they
     * learn from the values alone), so a later record of the stream in this batch is judged against them.
     */
    private Collection<ModelSetBatch> prepare(List<FeatureMessage> messages, Outcome[] outcomes) {
        long now = System.currentTimeMillis();
        Map<String, Optional<ModelSet>> resolved = new HashMap<>();
        Map<ModelSet, ModelSetBatch> batches = new IdentityHashMap<>();
        for (int i = 0; i < outcomes.length; i++) {
            FeatureMessage message = messages.get(i);
            Optional<ModelSet> found = resolved.computeIfAbsent(message.assetId(), models::forAsset);
            if (found.isEmpty()) {
                outcomes[i] = new Outcome(null, new Rejection(RejectionReason.NO_MODEL, "no model set serves asset "
                        + message.assetId() + ": train a global one, or one for the asset or its model group"));
                continue;
            }
            ModelSet set = found.get();
            double[] observed = vector(message.features(), set.featureNames());
            if (observed == null) {
                outcomes[i] = new Outcome(null, new Rejection(RejectionReason.FEATURE_MISMATCH,
                        mismatch(message.features(), set.featureNames())));
                continue;
            }
            StreamState state = states.state(message.streamKey(), set, now);
            double[] z = state.standardize(set.standardizer(), observed);
            double[][] window = set.longestWindow() > 1 ? state.push(z) : null;
            if (settings.baselineHalfLife() > 0) {
                state.learn(z, settings.baselineRate(), settings.baselineGate(), set.standardizer().wandering());
            }
            batches.computeIfAbsent(set, ModelSetBatch::new)
                    .add(new ModelSetBatch.Entry(i, message, observed, z, window, state));
        }
        return batches.values();
    }

    /** Last pass, for one entry, in its stream's order: scores, vote, persistence, explanation, verdict. */
    private AnomalyResult verdict(ModelSetBatch batch, int e) {
        ModelSet set = batch.set;
        ModelSetBatch.Entry entry = batch.entries.get(e);
        List<ModelScore> scores = new ArrayList<>(set.models().size());
        for (int m = 0; m < set.models().size(); m++) {
            if (batch.scored(m, e)) {
                TrainedModel model = set.models().get(m);
                double score = model.calibration().normalize(batch.rawScore(m, e));
                double threshold = model.calibration().threshold();
                scores.add(new ModelScore(score, model.name(), threshold, score >= threshold));
            }
        }
        StreamState state = entry.state();
        boolean vote = EnsembleRule.vote(scores, set.ensembleThreshold());
        int flaggedVotes = state.vote(vote);
        double finalScore = EnsembleRule.finalScore(scores);
        boolean anomaly = persistence.anomalous(flaggedVotes, state.quietVotes(), vote, finalScore);
        Criticality criticality = EnsembleRule.criticality(scores, anomaly);
        List<FeatureContribution> top = anomaly ? explain(batch, e, scores) : List.of();
        if (settings.normalHalfLife() > 0 && !anomaly && !vote) {
            state.learn(entry.z(), settings.normalRate(), Double.MAX_VALUE, null);
        }
        FeatureMessage message = entry.message();
        if (anomaly && LOG.isWarnEnabled()) { // guarded: the score's formatting is not free
            LOG.warn("Anomaly detected: {} (score={}, criticality={})", message.assetId(),
                    String.format("%.3f", finalScore), criticality.jsonName());
        } else if (!anomaly && LOG.isDebugEnabled()) {
            LOG.debug("No anomaly: {} (score={})", message.assetId(), String.format("%.3f", finalScore));
        }
        return new AnomalyResult(message.assetId(), message.sensorId(), message.timestamp(), scores, finalScore,
                anomaly, criticality, message.features(), message.metadata(), set.version(), set.scope().key(), top);
    }

    /** The features that drove an anomalous verdict, from each scoring detector's evidence. */
    private List<FeatureContribution> explain(ModelSetBatch batch, int e, List<ModelScore> scores) {
        ModelSetBatch.Entry entry = batch.entries.get(e);
        double[] z = entry.z();
        Explanation explanation = new Explanation(z.length);
        double[] deviation = deviation(z);
        int scored = 0;
        for (int m = 0; m < batch.set.models().size(); m++) {
            if (!batch.scored(m, e)) {
                continue;
            }
            boolean flagged = scores.get(scored++).isAnomaly();
            int offset = batch.evidenceOffset(m, e);
            if (offset < 0) {
                explanation.add(deviation, 0, flagged);
            } else {
                explanation.add(batch.evidence(m), offset, flagged);
                if (flagged) {
                    explanation.expect(batch.expected(m), offset);
                }
            }
        }
        return explanation.top(settings.topFeatures(), batch.set, entry.observed(), z);
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
