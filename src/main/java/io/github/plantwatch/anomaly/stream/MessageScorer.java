package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.EpisodeEvent;
import io.github.plantwatch.anomaly.contract.FeatureContribution;
import io.github.plantwatch.anomaly.contract.FeatureRange;
import io.github.plantwatch.anomaly.contract.Feedback;
import io.github.plantwatch.anomaly.contract.MaintenanceWindow;
import io.github.plantwatch.anomaly.contract.Excerpt;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.ModelScore;
import io.github.plantwatch.anomaly.contract.Rejection;
import io.github.plantwatch.anomaly.contract.RejectionReason;
import io.github.plantwatch.anomaly.detect.EnsembleRule;
import io.github.plantwatch.anomaly.detect.ModelResolver;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.Rarity;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scoring core, free of Kafka and Camel: turns feature messages, in stream order, into verdicts with the model
 * set of each message's asset. Each record is judged with its stream's state as every earlier record left it
 * (baselines, votes, settle rule), exactly as if the records had come one at a time, while each detector is called
 * once for many records: a batch is scored in waves (see {@link #wave}). Per record: standardize against the
 * stream's baseline, append to the stream's window and let the wandering features' baseline follow the record; the
 * detectors (a sequence detector once the stream's window is full); then combine the detectors' rarities, vote,
 * apply the stream's persistence rule, grade, explain an anomaly, and learn from the verdict. A record's detector
 * input depends on the verdicts before it only when one of them moved the baseline or the window otherwise than a
 * normal verdict does: the waves predict the inputs as if the records before were normal, and score again only
 * the records after a prediction that failed. Causal: a verdict uses only that record and earlier records of its
 * stream, and does not depend on how the records were batched.
 * <p>
 * Operators' word ({@link OperatorRules}) comes in at two places: a record in a maintenance window of its asset is
 * scored and judged on its own (anomalous only when far out, at the critical level), and leaves its stream as it
 * found it (votes, window, baseline, settle rule, history, episode); a record inside the envelope of feedback that
 * declared such records normal casts no vote, and is judged normal. Feedback also relabels the stream's retraining
 * history, and a new normal proposes a candidate model set from it at once.
 */
public final class MessageScorer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageScorer.class);

    private static final int MISMATCH_NAMES_SHOWN = 5;

    private final ModelResolver models;
    private final StreamStates states;
    private final ScoringSettings settings;
    private final PersistenceRule persistence;
    private final DetectorTiming timing;
    private final Retrainer retrainer;
    private final OperatorRules operators;
    private final boolean logs;
    private final double highRarity;
    private final double criticalRarity;
    /** The settings' learning rates, computed once: they are used on every record. */
    private final double baselineRate;
    private final double normalRate;
    private final double settleRate;

    /** Receives how long each detector's batched call took (the service's metrics; nothing when evaluating). */
    @FunctionalInterface
    public interface DetectorTiming {
        void record(String model, long nanos);
    }

    public MessageScorer(ModelResolver models, ScoringSettings settings) {
        this(models, settings, Retrainer.NONE, (model, nanos) -> { });
    }

    /** @param retrainer takes the streams' retraining jobs ({@code settings.retraining()}) */
    public MessageScorer(ModelResolver models, ScoringSettings settings, Retrainer retrainer, DetectorTiming timing) {
        this(models, settings, retrainer, timing, OperatorRules.none(), true);
    }

    /** @param operators maintenance windows and feedback, as the operators gave them */
    public MessageScorer(ModelResolver models, ScoringSettings settings, Retrainer retrainer, DetectorTiming timing,
                         OperatorRules operators) {
        this(models, settings, retrainer, timing, operators, true);
    }

    private MessageScorer(ModelResolver models, ScoringSettings settings, Retrainer retrainer, DetectorTiming timing,
                          OperatorRules operators, boolean logs) {
        this.logs = logs;
        this.operators = operators;
        this.models = models;
        this.settings = settings;
        this.timing = timing;
        this.retrainer = retrainer;
        this.highRarity = settings.highRarity();
        this.criticalRarity = settings.criticalRarity();
        this.baselineRate = settings.baselineRate();
        this.normalRate = settings.normalRate();
        this.settleRate = settings.settleRate();
        this.persistence = new PersistenceRule(settings.persistenceMinimum(), criticalRarity);
        this.states = new StreamStates(settings.maxStreams(), settings.streamIdleMillis(),
                settings.persistenceWindow(), settings.retraining());
    }

    /**
     * A scorer for records replayed off the stream (a candidate's shadow check): the same verdicts, without
     * retraining and without the anomaly log lines, which would read as the stream's own.
     */
    public static MessageScorer replaying(ModelSet models, ScoringSettings settings) {
        return new MessageScorer(asset -> Optional.of(models), settings.withoutRetraining(), Retrainer.NONE,
                (model, nanos) -> { }, OperatorRules.none(), false);
    }

    /** A message's verdict, or why it could not be scored; and the change of its stream's episode, if any. */
    public record Outcome(AnomalyResult result, Rejection rejection, EpisodeEvent episode) {
        Outcome(AnomalyResult result, EpisodeEvent episode) {
            this(result, null, episode);
        }

        Outcome(Rejection rejection) {
            this(null, rejection, null);
        }
    }

    /** A message a model set can score, before its stream's state is applied. */
    private record Resolved(int index, FeatureMessage message, ModelSet set, double[] observed,
                            MaintenanceWindow maintenance) {
    }

    /**
     * One outcome per message, in order. Messages of one stream must come in their stream's order. All messages of
     * one asset in the call are scored by the same model set, even if training swaps it meanwhile.
     */
    public List<Outcome> score(List<FeatureMessage> messages) {
        Outcome[] outcomes = new Outcome[messages.size()];
        List<Resolved> left = resolve(messages, outcomes);
        while (!left.isEmpty()) {
            left = wave(left, outcomes);
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Scores the messages in stream order, with one call per detector for all of them: each message's standardized
     * vector and window are predicted from its stream's state (assuming the records before it in the call are
     * judged normal), the detectors score the predictions, and then, message by message, a prediction that the
     * stream's real state confirms bit for bit is judged. A stream's first message always is; from the first one
     * whose prediction failed (a record before it was anomalous, far out, or moved the baseline otherwise), the
     * stream's messages are returned, for the next wave to predict again from the state the judged ones left.
     */
    private List<Resolved> wave(List<Resolved> messages, Outcome[] outcomes) {
        Collection<ModelSetBatch> batches = predict(messages);
        List<Resolved> left = new ArrayList<>();
        Set<StreamState> stalled = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ModelSetBatch batch : batches) {
            batch.score(timing);
            boolean sequence = batch.set.longestWindow() > 1;
            for (int e = 0; e < batch.entries.size(); e++) {
                ModelSetBatch.Entry entry = batch.entries.get(e);
                StreamState state = entry.state();
                if (stalled.contains(state) || !state.gives(entry.observed(), entry.z(), entry.window(), sequence)) {
                    stalled.add(state);
                    left.add(new Resolved(entry.index(), entry.message(), batch.set, entry.observed(),
                            entry.maintenance()));
                    continue;
                }
                advance(entry, batch.set);
                AnomalyResult result = verdict(batch, e);
                // a record in maintenance opens, feeds and closes no episode
                outcomes[entry.index()] = new Outcome(result, entry.maintenance() != null ? null
                        : state.episode.after(result, settings.episodeQuietRecords()));
            }
        }
        left.sort(Comparator.comparingInt(Resolved::index));
        return left;
    }

    /**
     * Each message's predicted standardized vector and window, from a look-ahead copy of its stream's state that
     * follows the messages before it as if they were judged normal; grouped by model set, in message order.
     */
    private Collection<ModelSetBatch> predict(List<Resolved> messages) {
        long now = System.currentTimeMillis();
        Map<ModelSet, ModelSetBatch> batches = new IdentityHashMap<>();
        Map<StreamState, StreamState.Lookahead> lookaheads = new IdentityHashMap<>();
        for (Resolved message : messages) {
            ModelSet set = message.set();
            StreamState state = states.state(message.message().streamKey(), set, now);
            StreamState.Lookahead ahead = lookaheads.computeIfAbsent(state, StreamState::lookahead);
            boolean learns = message.maintenance() == null;
            double[] z = ahead.standardize(message.observed());
            double[][] window = set.longestWindow() <= 1 ? null : ahead.window(z, learns);
            if (learns && settings.baselineHalfLife() > 0) {
                ahead.learn(z, baselineRate, settings.baselineGate(), set.standardizer().wandering());
            }
            if (learns && settings.normalHalfLife() > 0) {
                ahead.learnAsNormal(z, normalRate, settings.normalClearance());
            }
            batches.computeIfAbsent(set, ModelSetBatch::new).add(new ModelSetBatch.Entry(message.index(),
                    message.message(), message.observed(), z, window, state, message.maintenance()));
        }
        return batches.values();
    }

    /**
     * What a message does to its stream before its verdict, as predicted: its vector enters the window (unless in
     * maintenance: it is only looked at) and the wandering features' baseline follows it (they learn from the
     * values alone).
     */
    private void advance(ModelSetBatch.Entry entry, ModelSet set) {
        if (entry.maintenance() != null) {
            return;
        }
        StreamState state = entry.state();
        if (set.longestWindow() > 1) {
            state.push(entry.z());
        }
        if (settings.baselineHalfLife() > 0) {
            state.learn(entry.z(), baselineRate, settings.baselineGate(), set.standardizer().wandering());
        }
    }

    /** The state a message's stream is in now (after its last scored record), or null when it has none. */
    public StreamSnapshot snapshot(FeatureMessage message) {
        return states.snapshot(message.streamKey(), message.assetId());
    }

    /**
     * Where a message's stream stands now: its snapshot (null when it has no state), which the stream-state changelog
     * keeps, and what {@link #rollback} needs to take back the records scored after it.
     */
    StreamStates.Mark mark(FeatureMessage message) {
        return states.mark(message.streamKey(), message.assetId());
    }

    /**
     * Takes back every record of a stream scored since {@code mark}: its state, episode and retraining history are
     * as they were (a record that could not be published must not change its stream). A stream that had no state
     * then, or whose model set has changed since, starts again.
     */
    void rollback(String streamKey, StreamStates.Mark mark) {
        ModelSet set = mark.snapshot() == null ? null : models.forAsset(mark.snapshot().assetId()).orElse(null);
        states.rollback(streamKey, mark, set, System.currentTimeMillis());
    }

    /**
     * Puts a stream back in the state a snapshot holds, if the set that would score it now is the one the snapshot
     * was taken under; otherwise, and with {@code snapshot} null, the stream starts again (as after a model change).
     */
    public void restore(String streamKey, StreamSnapshot snapshot) {
        ModelSet set = snapshot == null ? null : models.forAsset(snapshot.assetId()).orElse(null);
        boolean same = set != null && set.identity().equals(snapshot.modelIdentity());
        states.restore(streamKey, same ? snapshot : null, set, System.currentTimeMillis());
    }

    /** Each message's model set and vectors; the messages no set can score get their outcome here. */
    private List<Resolved> resolve(List<FeatureMessage> messages, Outcome[] outcomes) {
        Map<String, Optional<ModelSet>> resolved = new HashMap<>();
        List<Resolved> scorable = new ArrayList<>(messages.size());
        long now = System.currentTimeMillis();
        for (int i = 0; i < outcomes.length; i++) {
            FeatureMessage message = messages.get(i);
            Optional<ModelSet> found = resolved.computeIfAbsent(message.assetId(), models::forAsset);
            if (found.isEmpty()) {
                outcomes[i] = new Outcome(new Rejection(RejectionReason.NO_MODEL, "no model set serves asset "
                        + message.assetId() + ": train a global one, or one for the asset or its model group"));
                continue;
            }
            ModelSet set = found.get();
            double[] observed = vector(message.features(), set.featureNames());
            if (observed == null) {
                outcomes[i] = new Outcome(new Rejection(RejectionReason.FEATURE_MISMATCH,
                        mismatch(message.features(), set.featureNames())));
                continue;
            }
            scorable.add(new Resolved(i, message, set, observed,
                    operators.maintenance().at(message.assetId(), message.timestamp(), now)));
        }
        return scorable;
    }

    /**
     * Last pass, for one entry: scores, combined rarity, vote, persistence, criticality, explanation, then what
     * the stream learns from the verdict.
     */
    private AnomalyResult verdict(ModelSetBatch batch, int e) {
        ModelSet set = batch.set;
        ModelSetBatch.Entry entry = batch.entries.get(e);
        List<ModelScore> scores = new ArrayList<>(set.models().size());
        double[] rarities = new double[set.models().size()];
        boolean pointVote = false;
        int sequenceWindow = 1;
        for (int m = 0; m < set.models().size(); m++) {
            if (batch.scored(m, e)) {
                TrainedModel model = set.models().get(m);
                double rarity = model.calibration().rarity(batch.rawScore(m, e));
                double score = Rarity.score(rarity);
                double threshold = model.calibration().threshold();
                rarities[scores.size()] = rarity;
                scores.add(new ModelScore(score, model.name(), threshold, score >= threshold));
                int window = model.detector().windowLength();
                pointVote |= window == 1 && score >= threshold;
                sequenceWindow = Math.max(sequenceWindow, window);
            }
        }
        StreamState state = entry.state();
        double rarity = Rarity.combined(rarities, scores.size());
        double finalScore = Rarity.score(rarity);
        boolean vote = EnsembleRule.vote(finalScore, set.ensembleThreshold());
        boolean farOut = persistence.farOut(rarity);
        Feedback declaredNormal = vote || farOut ? declaredNormal(entry, set) : null;
        // a record of a declared pattern is normal, but not the stream's normal level: it teaches the baseline and
        // the retraining history nothing, as a vote would not
        boolean unusual = vote || farOut;
        if (declaredNormal != null) {
            vote = false;
            farOut = false;
        }
        boolean inMaintenance = entry.maintenance() != null;
        boolean anomaly;
        if (inMaintenance) {
            // judged alone: the stream's votes (and window, see prepare) are left as the record found them
            anomaly = farOut;
        } else {
            // a far-out record is anomalous on its own and casts one flagged vote: the records after it are not
            // raised by it alone, nor do they lose it from the votes of a fault that is far out only at times; the
            // sequence detectors' window forgets it (below)
            int flaggedVotes = persistence.cast(state, vote || farOut, !farOut && !pointVote && sequenceWindow > 1,
                    sequenceWindow);
            anomaly = persistence.anomalous(flaggedVotes, state.quietVotes(), farOut ? rarity : 0);
            // so is a record of a pattern operators declared normal: the sequence detectors would otherwise
            // see it in the window of the records after it, in transitions they never learned
            if (farOut || declaredNormal != null) {
                state.forgetNewest();
            }
        }
        Criticality criticality = EnsembleRule.criticality(anomaly, rarity, highRarity, criticalRarity);
        List<FeatureContribution> top = anomaly ? explain(batch, e, scores) : List.of();
        FeatureMessage message = entry.message();
        if (!inMaintenance) {
            learn(entry, set, unusual, anomaly);
        }
        if (logs && anomaly && LOG.isWarnEnabled()) { // guarded: the score's formatting is not free
            LOG.warn("Anomaly detected: {} (score={}, criticality={})", message.assetId(),
                    String.format("%.3f", finalScore), criticality.jsonName());
        } else if (logs && !anomaly && LOG.isDebugEnabled()) {
            LOG.debug("No anomaly: {} (score={})", message.assetId(), String.format("%.3f", finalScore));
        }
        return new AnomalyResult(message.assetId(), message.sensorId(), message.timestamp(), scores, finalScore,
                anomaly, criticality, message.features(), message.metadata(), set.version(), set.scope().key(), top, null,
                inMaintenance, declaredNormal == null ? null : declaredNormal.feedbackId());
    }

    /**
     * The feedback that declared records like this one normal: a false alarm or new normal on the record's stream
     * whose envelope holds every feature of the record, each within the margin (training standard deviations).
     */
    private Feedback declaredNormal(ModelSetBatch.Entry entry, ModelSet set) {
        FeatureMessage message = entry.message();
        for (Feedback feedback : operators.feedback().declaredNormal(message.assetId())) {
            if (feedback.covers(message.assetId(), message.sensorId()) && inside(feedback.envelope(), entry, set)) {
                return feedback;
            }
        }
        return null;
    }

    private boolean inside(List<FeatureRange> envelope, ModelSetBatch.Entry entry, ModelSet set) {
        List<String> names = set.featureNames();
        if (envelope.size() != names.size()) {
            return false;
        }
        for (FeatureRange range : envelope) {
            int j = names.indexOf(range.name());
            if (j < 0) {
                return false;
            }
            // a few dozen records show less than the pattern's whole spread: widen by half their range too
            double margin = Math.max(operators.envelopeMargin() * set.standardizer().scale()[j],
                    (range.high() - range.low()) / 2);
            if (!range.contains(entry.observed()[j], margin)) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the stream learns from a verdict: its baseline from records judged normal (once the stream has stayed
     * clear); the settle rule from every record; its history keeps the record for retraining and proposes a
     * candidate model set for the asset every {@code retraining.every-records} records (from its records judged
     * normal, or, after a change that has lasted {@code retraining.new-normal-after} records, from all its recent
     * records), or at once when the settle rule has taken a new normal.
     */
    private void learn(ModelSetBatch.Entry entry, ModelSet set, boolean vote, boolean anomaly) {
        StreamState state = entry.state();
        boolean judgedNormal = !anomaly && !vote;
        if (settings.normalHalfLife() > 0) {
            state.learnWhenClear(entry.z(), judgedNormal, anomaly, normalRate, settings.normalClearance());
        }
        boolean newNormal = settings.settleRecords() > 0 && state.settle(entry.z(), anomaly, settleRate,
                settings.settleRecords(), settings.settleTolerance());
        if (newNormal && logs) {
            LOG.info("Asset {} sensor {} has stayed at a new level for {} records: it is the stream's new normal",
                    entry.message().assetId(), entry.message().sensorId(), settings.settleRecords());
        }
        StreamHistory history = state.history;
        if (history == null) {
            return;
        }
        history.add(entry.observed(), judgedNormal, anomaly, entry.message().timestamp());
        if (newNormal) {
            history.markNormal(settings.settleRecords());
        }
        if (applyFeedback(state, history, entry.message())) {
            proposeFromFeedback(entry.message().assetId(), set, history);
            return;
        }
        RetrainingSettings retraining = settings.retraining();
        if (!newNormal && history.sinceRetraining() < retraining.everyRecords()) {
            return;
        }
        int shadow = retraining.shadowRows();
        double[][] rows = history.normalBefore(shadow);
        String reason = newNormal ? "new_normal" : "cadence";
        if (rows.length < retraining.minRows() && retraining.newNormalAfter() > 0
                && history.anomalousRun() >= retraining.newNormalAfter()) {
            rows = history.allBefore(shadow);
            reason = "lasting_change";
        }
        if (rows.length >= retraining.minRows()) {
            history.retrainingTaken();
            retrainer.submit(new RetrainingJob(entry.message().assetId(), set, rows,
                    history.newest(settings.persistenceWindow() + set.longestWindow(), shadow),
                    history.newest(shadow), history.anomalousShare(shadow), reason));
        }
    }

    /**
     * The feedback received since the stream last looked relabels its history: records a false alarm or new normal
     * covers are declared normal, those a confirmation covers are kept out of every training. A stream new to this
     * instance starts from the feedback there is: its history is new too.
     *
     * @return whether a new normal covered records (the asset's models should learn them now)
     */
    private boolean applyFeedback(StreamState state, StreamHistory history, FeatureMessage message) {
        long received = operators.feedback().count();
        long seen = state.feedbackSeen;
        if (seen == received) {
            return false;
        }
        state.feedbackSeen = received;
        boolean newNormal = false;
        for (Feedback feedback : seen < 0 ? List.<Feedback>of() : operators.feedback().since(seen)) {
            if (!feedback.covers(message.assetId(), message.sensorId())) {
                continue;
            }
            Instant from;
            Instant until;
            try {
                from = Instant.parse(feedback.from());
                until = Instant.parse(feedback.until());
            } catch (DateTimeParseException e) {
                continue; // checked by the API; a hand-written record on the topic may be wrong
            }
            int relabelled = history.relabel(t -> !t.isBefore(from) && !t.isAfter(until), feedback.declaresNormal());
            newNormal |= Feedback.NEW_NORMAL.equals(feedback.label()) && relabelled > 0;
            if (logs) {
                LOG.info("Feedback {} ({}) on asset {} sensor {}: {} recent records {}", feedback.feedbackId(),
                        feedback.label(), message.assetId(), message.sensorId(), relabelled,
                        feedback.declaresNormal() ? "declared normal" : "kept out of training");
            }
        }
        return newNormal;
    }

    /**
     * A candidate for the asset that learns the records a new normal covers, promoted without a shadow check (the
     * operator's word is the check). A false alarm retrains nothing at once: its envelope keeps the pattern normal,
     * and the stream's next cadence candidate learns its records (checked as usual).
     */
    private void proposeFromFeedback(String assetId, ModelSet set, StreamHistory history) {
        double[][] rows = history.declaredThenNormal();
        if (rows.length < settings.retraining().minRows()) {
            if (logs) {
                LOG.info("New normal on asset {}: {} records to learn from, fewer than retraining.min-rows ({}); the "
                        + "feedback's envelope still keeps the pattern normal", assetId, rows.length,
                        settings.retraining().minRows());
            }
            return;
        }
        history.retrainingTaken();
        retrainer.submit(new RetrainingJob(assetId, set, rows, new double[0][], new double[0][], 0, "feedback"));
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
        return explanation.top(settings.topFeatures(), batch.set, entry.observed(), entry.state().baseline());
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
