package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TailCalibration;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.train.DetectorCatalog;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recalibrating a set's ensemble threshold on the final scores it gives in service, with a really trained set and
 * the verdicts the scoring core really gives on generated healthy streams.
 */
class ThresholdRecalibrationTest {

    private static final int WINDOW = 5;
    private static final double CONTAMINATION = 0.05;
    private static ModelSet trained;
    /** Verdicts on three healthy streams, interleaved as a batch would carry them. */
    private static List<AnomalyResult> verdicts;

    @BeforeAll
    static void trainAndScore() {
        TrainingSettings settings = new TrainingSettings(DetectorCatalog.NAMES, CONTAMINATION, WINDOW, 2, 100, 42,
                0.25, 0.5);
        trained = new ModelTrainer().train(new TrainingRequest(new SensorData(5).healthyRows(300),
                SensorData.FEATURES, settings), 1, step -> { });
        MessageScorer scorer = new MessageScorer(asset -> Optional.of(trained), settings(0));
        SensorData data = new SensorData(9);
        List<FeatureMessage> messages = new ArrayList<>();
        for (int t = 0; t < 150; t++) {
            for (String asset : List.of("PUMP-1", "PUMP-2", "PUMP-3")) {
                messages.add(new FeatureMessage(asset, "S1", SensorData.named(data.healthy(t)), "t",
                        JsonCodec.mapper().createObjectNode()));
            }
        }
        verdicts = scorer.score(messages).stream().map(MessageScorer.Outcome::result).toList();
    }

    /** @param recalibrationRecords the sample's size (no warm-up: the scoring here has no normal baseline) */
    private static ScoringSettings settings(int recalibrationRecords) {
        return new ScoringSettings(10, 7, 1e-4, 1e-6, 0, 10, 0, 1, 0, 0.5, 3, 100, 60_000, RetrainingSettings.OFF,
                30, recalibrationRecords);
    }

    /** What the recalibration must give: the quantile of the first {@code records} results judged normal. */
    private static double expectedThreshold(List<AnomalyResult> counted, int records) {
        double[] scores = counted.stream().filter(r -> !r.isAnomaly()).limit(records)
                .mapToDouble(AnomalyResult::finalScore).sorted().toArray();
        assertEquals(records, scores.length, "enough counted verdicts for the test");
        return TailCalibration.quantile(scores, 1 - CONTAMINATION);
    }

    private static List<AnomalyResult> fullyScored(List<AnomalyResult> results) {
        return results.stream().filter(r -> r.scores().size() == trained.models().size()).toList();
    }

    @Test
    void takesTheSetsQuantileOfTheNormalScoresOnceTheSampleIsFull() {
        List<ModelSet> installed = new ArrayList<>();
        ThresholdRecalibration recalibration = new ThresholdRecalibration(200, 0, asset -> Optional.of(trained),
                installed::add);
        recalibration.observe(verdicts.subList(0, 100));
        assertTrue(installed.isEmpty(), "not before the sample is full");
        recalibration.observe(verdicts.subList(100, verdicts.size()));

        assertEquals(1, installed.size());
        ModelSet recalibrated = installed.getFirst();
        assertEquals(expectedThreshold(fullyScored(verdicts), 200), recalibrated.ensembleThreshold(), 1e-12);
        assertNotEquals(trained.ensembleThreshold(), recalibrated.ensembleThreshold());
        assertEquals(trained.version(), recalibrated.recalibratedFrom());
        assertEquals("200", recalibrated.provenance().get(ModelSet.RECALIBRATION_RECORDS));
        assertEquals(String.valueOf(trained.ensembleThreshold()),
                recalibrated.provenance().get(ModelSet.TRAINED_ENSEMBLE_THRESHOLD));
        assertEquals(trained.models(), recalibrated.models(), "only the threshold changes");
        assertEquals(trained.scope(), recalibrated.scope());
    }

    @Test
    void leavesOutMaintenanceFeedbackAndWhatNotEveryDetectorScored() {
        assertTrue(verdicts.stream().anyMatch(r -> r.scores().size() < trained.models().size()),
                "the first records of each stream are not scored by the sequence detector");
        List<AnomalyResult> mixed = new ArrayList<>();
        for (AnomalyResult verdict : verdicts) {
            mixed.add(verdict);
            // far above every normal score: either of them counted would move the threshold
            mixed.add(with(verdict, 50, false, true, null));
            mixed.add(with(verdict, 50, false, false, "episode-1"));
        }
        List<ModelSet> installed = new ArrayList<>();
        new ThresholdRecalibration(300, 0, asset -> Optional.of(trained), installed::add).observe(mixed);

        assertEquals(1, installed.size());
        assertEquals(expectedThreshold(fullyScored(verdicts), 300), installed.getFirst().ensembleThreshold(), 1e-12);
    }

    @Test
    void leavesOutTheRecordsJudgedAnomalous() {
        List<AnomalyResult> withAlarms = everyNthJudgedAnomalous(40); // 2.5 %: below the 5 % contamination
        List<ModelSet> installed = new ArrayList<>();
        new ThresholdRecalibration(300, 0, asset -> Optional.of(trained), installed::add).observe(withAlarms);

        assertEquals(1, installed.size());
        assertEquals(expectedThreshold(fullyScored(withAlarms), 300), installed.getFirst().ensembleThreshold(),
                1e-12);
        double[] countedWithTheirScores = fullyScored(withAlarms).stream().limit(300)
                .mapToDouble(AnomalyResult::finalScore).sorted().toArray();
        assertNotEquals(TailCalibration.quantile(countedWithTheirScores, 1 - CONTAMINATION),
                installed.getFirst().ensembleThreshold(), "the alarms' high scores are not in the sample");
    }

    @Test
    void aSetThatJudgesMoreThanItsContaminationAnomalousKeepsItsThreshold() {
        List<ModelSet> installed = new ArrayList<>();
        new ThresholdRecalibration(300, 0, asset -> Optional.of(trained), installed::add)
                .observe(everyNthJudgedAnomalous(10));
        assertTrue(installed.isEmpty(), "10 % judged anomalous: the 95th percentile is among them");
    }

    /** The verdicts, every n-th fully scored one judged anomalous (with a high score: counted, it would show). */
    private static List<AnomalyResult> everyNthJudgedAnomalous(int n) {
        List<AnomalyResult> results = new ArrayList<>();
        int fullyScored = 0;
        for (AnomalyResult verdict : verdicts) {
            boolean full = verdict.scores().size() == trained.models().size();
            boolean alarm = full && ++fullyScored % n == 0;
            results.add(alarm ? with(verdict, 50, true, false, null) : verdict);
        }
        return results;
    }

    @Test
    void leavesOutTheFirstRecordsOfEachStream() {
        int warmUp = 20;
        List<AnomalyResult> afterWarmUp = new ArrayList<>();
        Map<String, Integer> ages = new HashMap<>();
        for (AnomalyResult verdict : fullyScored(verdicts)) {
            if (ages.merge(verdict.assetId(), 1, Integer::sum) > warmUp) {
                afterWarmUp.add(verdict);
            }
        }
        List<ModelSet> installed = new ArrayList<>();
        new ThresholdRecalibration(200, warmUp, asset -> Optional.of(trained), installed::add).observe(verdicts);

        assertEquals(1, installed.size());
        assertEquals(expectedThreshold(afterWarmUp, 200), installed.getFirst().ensembleThreshold(), 1e-12);
        assertNotEquals(expectedThreshold(fullyScored(verdicts), 200), installed.getFirst().ensembleThreshold());
    }

    @Test
    void recalibratesAVersionOnceAndNeverARecalibratedSet() {
        AtomicReference<ModelSet> inService = new AtomicReference<>(trained);
        ThresholdRecalibration recalibration = ThresholdRecalibration.ofOneSet(settings(100), inService);
        recalibration.observe(verdicts);
        recalibration.observe(verdicts);
        ModelSet recalibrated = inService.get();
        assertEquals(trained.version() + 1, recalibrated.version(), "installed as the next version, once");
        assertEquals(expectedThreshold(fullyScored(verdicts), 100), recalibrated.ensembleThreshold(), 1e-12);

        recalibration.observe(verdicts.stream().map(r -> withVersion(r, recalibrated.version())).toList());
        assertEquals(recalibrated, inService.get(), "a recalibrated set keeps its threshold");
    }

    @Test
    void leavesAloneAVersionNoLongerServed() {
        ModelSet newer = trained.as(trained.scope(), trained.version() + 1);
        List<ModelSet> installed = new ArrayList<>();
        new ThresholdRecalibration(100, 0, asset -> Optional.of(newer), installed::add).observe(verdicts);
        assertTrue(installed.isEmpty(), "the verdicts name a version the assets no longer have");
    }

    @Test
    void zeroRecordsTurnsItOff() {
        List<ModelSet> installed = new ArrayList<>();
        new ThresholdRecalibration(0, 0, asset -> Optional.of(trained), installed::add).observe(verdicts);
        assertTrue(installed.isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> new ThresholdRecalibration(-1, 0, asset -> Optional.of(trained), installed::add));
    }

    private static AnomalyResult with(AnomalyResult r, double finalScore, boolean anomaly, boolean inMaintenance,
                                      String normalByFeedback) {
        return new AnomalyResult(r.assetId(), r.sensorId(), r.timestamp(), r.scores(), finalScore, anomaly,
                r.criticality(), r.features(), r.metadata(), r.modelVersion(), r.modelScope(), r.topFeatures(),
                r.resultId(), inMaintenance, normalByFeedback);
    }

    private static AnomalyResult withVersion(AnomalyResult r, long version) {
        return new AnomalyResult(r.assetId(), r.sensorId(), r.timestamp(), r.scores(), r.finalScore(),
                r.isAnomaly(), r.criticality(), r.features(), r.metadata(), version, r.modelScope(),
                r.topFeatures(), r.resultId(), r.inMaintenance(), r.normalByFeedback());
    }
}
