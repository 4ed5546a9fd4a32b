package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.FeatureContribution;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.contract.RejectionReason;
import io.github.plantwatch.anomaly.detect.ModelResolver;
import io.github.plantwatch.anomaly.detect.ModelScope;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.train.DetectorCatalog;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scoring core with really trained models: explanations, persistence, the adaptive baseline. */
class MessageScorerTest {

    private static final int WINDOW = 5;
    private static ModelSet healthyModels;

    @BeforeAll
    static void train() {
        TrainingSettings settings = new TrainingSettings(DetectorCatalog.NAMES, 0.01, WINDOW, 4, 100, 42, 0.25, 0.5);
        healthyModels = new ModelTrainer().train(new TrainingRequest(new SensorData(5).healthyRows(500),
                SensorData.FEATURES, settings), 1, step -> { });
    }

    private static ScoringSettings settings(int window, int minimum, int baselineHalfLife) {
        return new ScoringSettings(window, minimum, 1e-4, 1e-6, baselineHalfLife, 10, 0, 1, 0, 0.5, 3, 100, 60_000,
                RetrainingSettings.OFF, 30, 0);
    }

    private static FeatureMessage message(String asset, double[] values) {
        return new FeatureMessage(asset, "S1", SensorData.named(values), "t", JsonCodec.mapper().createObjectNode());
    }

    private static List<AnomalyResult> score(MessageScorer scorer, List<double[]> rows) {
        List<FeatureMessage> messages = new ArrayList<>();
        rows.forEach(row -> messages.add(message("PUMP-1", row)));
        return scorer.score(messages).stream().map(MessageScorer.Outcome::result).toList();
    }

    @Test
    void namesTheFeaturesThatDroveAnAnomalyWithObservedAndExpectedValues() {
        MessageScorer scorer = new MessageScorer(asset -> Optional.of(healthyModels), settings(1, 1, 0));
        SensorData data = new SensorData(11);
        List<double[]> rows = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            rows.add(data.healthy(t));
        }
        double[] fault = data.healthy(20);
        fault[1] = 9.0; // kurtosis only: healthy is 3.0 +- 0.1
        rows.add(fault);
        List<AnomalyResult> results = score(scorer, rows);

        results.subList(0, 20).stream().filter(r -> !r.isAnomaly())
                .forEach(r -> assertTrue(r.topFeatures().isEmpty(), "a normal verdict names no feature"));
        AnomalyResult anomaly = results.getLast();
        assertTrue(anomaly.isAnomaly());
        assertEquals("global", anomaly.modelScope());
        List<FeatureContribution> top = anomaly.topFeatures();
        assertEquals(3, top.size());
        FeatureContribution first = top.getFirst();
        assertEquals("kurtosis", first.name());
        assertEquals(9.0, first.observed(), 1e-12);
        assertEquals(3.0, first.expected(), 0.5, "expected: the autoencoder's reconstruction, near the normal level");
        assertTrue(first.contribution() > 0.8, "kurtosis carries most of the evidence: " + first);
        double sum = top.stream().mapToDouble(FeatureContribution::contribution).sum();
        assertTrue(sum <= 1 + 1e-9 && top.get(1).contribution() <= first.contribution());
    }

    @Test
    void persistenceWaitsForConfirmationOfWeakVotesButNotForAClearFault() {
        PersistenceRule rule = new PersistenceRule(3, 4);
        assertFalse(rule.anomalous(1, 0, 1.5), "one weak vote waits for confirmation");
        assertTrue(rule.anomalous(3, 0, 1.5), "three votes in the window raise it");
        assertTrue(rule.anomalous(1, 0, 4), "a far-out record: at once");
        assertTrue(rule.anomalous(0, 3, 9), "a far-out record: whatever the votes hold");
        assertTrue(rule.anomalous(5, 2, 0.3), "two quiet samples inside a fault: held");
        assertFalse(rule.anomalous(5, 3, 0.3), "three quiet samples in a row end it");

        MessageScorer scorer = new MessageScorer(asset -> Optional.of(healthyModels), settings(10, 3, 0));
        SensorData data = new SensorData(12);
        List<double[]> rows = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            rows.add(data.healthy(t));
        }
        rows.add(data.faulty());
        List<AnomalyResult> results = score(scorer, rows);
        assertTrue(results.getLast().isAnomaly(), "the first faulty sample is an anomaly with persistence on");
    }

    /** Training rows whose first feature creeps up (as a temperature does) while the others jitter. */
    private static List<double[]> creeping(Random random, int from, int to) {
        List<double[]> rows = new ArrayList<>();
        for (int t = from; t < to; t++) {
            rows.add(new double[]{20 + 0.01 * t + 0.002 * random.nextGaussian(), 3 + 0.1 * random.nextGaussian(),
                    1.4 + 0.04 * random.nextGaussian(), 0.25 + 0.005 * random.nextGaussian(),
                    0.01 * random.nextGaussian()});
        }
        return rows;
    }

    @Test
    void theAdaptiveBaselineFollowsAWanderingFeatureAndStillFlagsAJumpOfAStableOne() {
        Random random = new Random(3);
        // calibrated in-sample: a holdout of the newest rows would see part of the creep and widen the thresholds
        TrainingSettings training = new TrainingSettings(List.of("isolation_forest", "one_class_svm"), 0.01, WINDOW,
                1, 100, 42, 0, 0.5);
        ModelSet models = new ModelTrainer().train(new TrainingRequest(
                creeping(random, 0, 400).toArray(double[][]::new), SensorData.FEATURES, training), 1, step -> { });
        assertTrue(models.standardizer().wandering()[0], "the creeping feature is found to wander");
        assertFalse(models.standardizer().wandering()[1], "a jittering one is not");

        List<double[]> later = creeping(random, 400, 1000);
        double[] jump = later.getLast().clone();
        jump[1] = 4.5; // kurtosis, a stable feature, 15 standard deviations up
        later.add(jump);

        List<AnomalyResult> fixed = score(new MessageScorer(asset -> Optional.of(models), settings(1, 1, 0)), later);
        List<AnomalyResult> adaptive = score(new MessageScorer(asset -> Optional.of(models), settings(1, 1, 20)),
                later);
        long fixedAlarms = fixed.subList(500, 600).stream().filter(AnomalyResult::isAnomaly).count();
        long adaptiveAlarms = adaptive.subList(500, 600).stream().filter(AnomalyResult::isAnomaly).count();
        assertTrue(fixedAlarms > 90, "a fixed baseline flags the creep once past the training range: " + fixedAlarms);
        assertTrue(adaptiveAlarms < 10, "the adaptive baseline follows it: " + adaptiveAlarms);
        assertTrue(adaptive.getLast().isAnomaly(), "and still flags a jump of a stable feature");
        assertEquals("kurtosis", adaptive.getLast().topFeatures().getFirst().name());
    }

    @Test
    void aBatchScoresEachMessageAsItsStreamAloneWouldOneMessageAtATime() {
        ModelSet pumpTwoModels = new ModelSet(2, healthyModels.trainedAt(), healthyModels.featureNames(),
                healthyModels.standardizer(), healthyModels.models(), healthyModels.ensembleThreshold(),
                ModelScope.asset("PUMP-2"), List.of(), healthyModels.provenance());
        ModelResolver resolver = asset -> Optional.of(asset.equals("PUMP-2") ? pumpTwoModels : healthyModels);
        SensorData data = new SensorData(13);
        List<FeatureMessage> messages = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            messages.add(message("PUMP-1", t >= 30 && t < 34 ? data.faulty() : data.healthy(t)));
            messages.add(message(t == 35 ? "PUMP-3" : "PUMP-2", data.healthy(t)));
        }
        messages.add(20, new FeatureMessage("PUMP-1", "S1", Map.of("rms", 1.0), "t",
                JsonCodec.mapper().createObjectNode())); // a feature mismatch inside the batch

        List<MessageScorer.Outcome> batched = new MessageScorer(resolver, settings(10, 3, 20)).score(messages);
        MessageScorer oneByOne = new MessageScorer(resolver, settings(10, 3, 20));
        assertEquals(messages.size(), batched.size());
        for (int i = 0; i < messages.size(); i++) {
            MessageScorer.Outcome alone = oneByOne.score(List.of(messages.get(i))).getFirst();
            assertEquals(alone, batched.get(i), "message " + i);
        }
        assertEquals(RejectionReason.FEATURE_MISMATCH, batched.get(20).rejection().reason());
        assertEquals("asset:PUMP-2", batched.get(1).result().modelScope());
        assertEquals("global", batched.get(0).result().modelScope());
        assertTrue(batched.stream().anyMatch(o -> o.result() != null && o.result().isAnomaly()),
                "the faults are flagged, with their explanations compared too");
    }

    /**
     * The shipped scoring settings (adaptive baselines, clearance, settle rule, persistence), twenty streams whose
     * records come many to a batch, with what makes a wave's predictions fail: spikes far out (the window forgets
     * them), a sustained fault (votes, the clearance starting over), weak deviations, a lasting level change (the
     * settle rule). Scored in one call, each record must get the very outcome it gets alone, record by record.
     */
    @Test
    void manyRecordsOfAStreamInOneCallAreJudgedAsOneAtATimeWithTheShippedSettings() {
        ScoringSettings shipped = io.github.plantwatch.anomaly.Settings.shipped()
                .scoring().withoutRetraining();
        ModelResolver resolver = asset -> Optional.of(healthyModels);
        SensorData data = new SensorData(17);
        Random random = new Random(3);
        List<FeatureMessage> messages = new ArrayList<>();
        for (int t = 0; t < 400; t++) {
            for (int s = 0; s < 20; s++) {
                double[] values = data.healthy(t);
                if (s % 4 == 0 && random.nextDouble() < 0.03) {
                    values = data.faulty(); // a spike
                } else if (s % 4 == 1 && t >= 100 && t < 140) {
                    values = data.faulty(); // a sustained fault
                } else if (s % 4 == 2) {
                    values[1] += random.nextGaussian() * 0.25; // weak deviations, now and then a vote
                } else if (s % 4 == 3 && t >= 150) {
                    values[1] += 1.0; // a lasting change of level
                }
                messages.add(message("PUMP-" + s, values));
            }
        }
        List<MessageScorer.Outcome> batched = new ArrayList<>();
        MessageScorer batches = new MessageScorer(resolver, shipped);
        for (int from = 0; from < messages.size(); from += 500) {
            batched.addAll(batches.score(messages.subList(from, Math.min(messages.size(), from + 500))));
        }
        MessageScorer oneByOne = new MessageScorer(resolver, shipped);
        int anomalies = 0;
        for (int i = 0; i < messages.size(); i++) {
            MessageScorer.Outcome alone = oneByOne.score(List.of(messages.get(i))).getFirst();
            assertEquals(alone, batched.get(i), "message " + i);
            anomalies += alone.result().isAnomaly() ? 1 : 0;
        }
        assertTrue(anomalies > 100, "the faults are flagged: " + anomalies);
    }

    @Test
    void rejectsAMessageNoModelSetServes() {
        MessageScorer scorer = new MessageScorer(asset -> Optional.empty(), settings(1, 1, 0));
        MessageScorer.Outcome outcome = scorer.score(List.of(message("NEW-1", new SensorData(1).healthy(0))))
                .getFirst();
        assertNull(outcome.result());
        assertEquals(RejectionReason.NO_MODEL, outcome.rejection().reason());
        assertTrue(outcome.rejection().message().contains("NEW-1"));
    }
}
