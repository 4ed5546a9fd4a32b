package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.stream.RetrainingJob;
import io.github.plantwatch.anomaly.stream.RetrainingSettings;
import io.github.plantwatch.anomaly.stream.ScoringSettings;
import io.github.plantwatch.anomaly.support.SensorData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shadow check with really trained candidates: promoted when it does at least as well, kept out otherwise. */
class RetrainingTest {

    private static final TrainingSettings TRAINING = new TrainingSettings(DetectorCatalog.NAMES, 0.1, 5, 3, 50, 42,
            0.25, 0.5);
    private static final ScoringSettings SCORING = new ScoringSettings(20, 6, 1e-4, 1e-6, 10, 10, 60, 5, 0, 0.5, 3,
            100, 60_000, RetrainingSettings.OFF, 30, 0);
    private static ModelSet inService;

    @BeforeAll
    static void train() {
        inService = new ModelTrainer().train(new TrainingRequest(new SensorData(1).healthyRows(300),
                SensorData.FEATURES, TRAINING), 1, step -> { });
    }

    private static RetrainingJob job(double[][] shadow, double inServiceAnomalous) {
        SensorData data = new SensorData(2);
        double[][] rows = data.healthyRows(330);
        return new RetrainingJob("PUMP-1", inService, Arrays.copyOf(rows, 300), Arrays.copyOfRange(rows, 300, 330),
                shadow, inServiceAnomalous, "cadence");
    }

    @Test
    void aCandidateThatDescribesTheNewestRecordsBetterIsPromotedUnderTheAssetsScope() {
        Retraining.Decision decision = new Retraining(new ModelTrainer(), TRAINING, SCORING)
                .run(job(new SensorData(3).healthyRows(60), 1.0), 7);
        assertTrue(decision.promote(), "healthy records: the candidate finds " + decision.candidateAnomalous());
        assertEquals("asset:PUMP-1", decision.candidate().scope().key());
        assertEquals(7, decision.candidate().version());
    }

    @Test
    void aCandidateThatFlagsMoreOfTheNewestRecordsThanTheSetInServiceIsKeptOut() {
        SensorData data = new SensorData(4);
        double[][] faulty = new double[60][];
        for (int i = 0; i < faulty.length; i++) {
            faulty[i] = data.faulty();
        }
        Retraining.Decision decision = new Retraining(new ModelTrainer(), TRAINING, SCORING).run(job(faulty, 0), 7);
        assertTrue(decision.candidateAnomalous() > 0.5, "a fault: " + decision.candidateAnomalous());
        assertFalse(decision.promote());
    }
}
