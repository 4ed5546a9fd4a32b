package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.Settings;
import io.github.plantwatch.anomaly.contract.FeatureRange;
import io.github.plantwatch.anomaly.contract.Feedback;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.MaintenanceWindow;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operators' word in the scoring core, with the shipped settings and really trained models: a maintenance window
 * leaves the stream as it found it and opens no episode; a new normal proposes, at once, a candidate that learns the
 * records it covers (first); a confirmation keeps records out of every candidate. Features i.i.d. N(10, 1).
 */
class OperatorRulesScoringTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static ScoringSettings scoring;
    private static ModelSet models;

    @BeforeAll
    static void train() {
        Settings shipped = Settings.shipped();
        scoring = shipped.scoring();
        TrainingSettings training = shipped.trainingDefaults().with(shipped.trainingDefaults().models(),
                shipped.trainingDefaults().contamination(), 10, 5);
        models = new ModelTrainer().train(new TrainingRequest(rows(new Random(1), 1000, 10), NAMES, training), 1,
                step -> { });
    }

    @Test
    void recordsInMaintenanceArePublishedMarkedAndLeaveTheStreamAsTheyFoundIt() {
        OperatorRules operators = OperatorRules.none();
        operators.maintenance().put(new MaintenanceWindow("mw-1", "PUMP-1", time(100).toString(),
                time(130).toString(), "seal change", T0.toString()));
        MessageScorer inMaintenance = scorer(operators, new ArrayList<>());
        MessageScorer without = scorer(OperatorRules.none(), new ArrayList<>());
        Random random = new Random(2);
        double[][] normal = rows(random, 100, 10);
        double[][] off = rows(random, 30, 40); // the machine stopped and restarted: 30 SDs off
        double[][] after = rows(random, 100, 10);
        for (int t = 0; t < 100; t++) {
            assertEquals(verdict(without, t, normal[t]).result().isAnomaly(),
                    verdict(inMaintenance, t, normal[t]).result().isAnomaly());
        }
        for (int t = 100; t < 130; t++) {
            MessageScorer.Outcome outcome = verdict(inMaintenance, t, off[t - 100]);
            assertTrue(outcome.result().inMaintenance(), "marked");
            assertNull(outcome.episode(), "no episode in maintenance");
            assertTrue(verdict(without, t, off[t - 100]).result().isAnomaly());
        }
        MessageScorer control = scorer(OperatorRules.none(), new ArrayList<>());
        for (int t = 0; t < 100; t++) {
            verdict(control, t, normal[t]);
        }
        for (int t = 130; t < 230; t++) {
            MessageScorer.Outcome outcome = verdict(inMaintenance, t, after[t - 130]);
            assertFalse(outcome.result().inMaintenance());
            assertEquals(verdict(control, t, after[t - 130]).result().finalScore(), outcome.result().finalScore(),
                    "judged as if the records in maintenance had never come");
        }
    }

    @Test
    void aNewNormalProposesACandidateThatLearnsItsRecordsAndConfirmedRecordsAreLeftOut() {
        OperatorRules operators = OperatorRules.none();
        List<RetrainingJob> jobs = new ArrayList<>();
        MessageScorer scorer = scorer(operators, jobs);
        Random random = new Random(3);
        double[][] normal = rows(random, 400, 10);
        double[][] shifted = rows(random, 60, 16);
        for (int t = 0; t < 400; t++) {
            verdict(scorer, t, normal[t]);
        }
        for (int t = 400; t < 460; t++) {
            verdict(scorer, t, shifted[t - 400]);
        }
        operators.feedback().add(feedback("fb-1", Feedback.CONFIRMED, 400, 429));
        operators.feedback().add(feedback("fb-2", Feedback.NEW_NORMAL, 430, 459));
        assertTrue(jobs.isEmpty());
        verdict(scorer, 460, shifted[59]);
        assertEquals(1, jobs.size(), "one candidate, at once");
        RetrainingJob job = jobs.getFirst();
        assertEquals("feedback", job.reason());
        assertEquals(0, job.shadowRows().length, "the operator's word is the check");
        for (int i = 0; i < 30; i++) {
            assertTrue(Arrays.equals(shifted[30 + i], job.trainingRows()[i]), "the new normal's records first");
        }
        for (double[] row : job.trainingRows()) {
            for (int i = 0; i < 30; i++) {
                assertFalse(Arrays.equals(shifted[i], row), "a confirmed record in a candidate's rows");
            }
        }
    }

    private static Feedback feedback(String id, String label, int from, int until) {
        return new Feedback(id, label, "PUMP-1", "S1", null, time(from).toString(), time(until).toString(), null,
                T0.toString(), List.of(new FeatureRange("a", 14, 18), new FeatureRange("b", 14, 18),
                new FeatureRange("c", 14, 18), new FeatureRange("d", 14, 18), new FeatureRange("e", 14, 18)));
    }

    private static MessageScorer scorer(OperatorRules operators, List<RetrainingJob> jobs) {
        return new MessageScorer(asset -> Optional.of(models), scoring, jobs::add, (model, nanos) -> { }, operators);
    }

    private static MessageScorer.Outcome verdict(MessageScorer scorer, int t, double[] values) {
        return scorer.score(List.of(FeatureMessage.of("PUMP-1", "S1", NAMES, values, time(t).toString())))
                .getFirst();
    }

    private static Instant time(int t) {
        return T0.plusSeconds(t);
    }

    private static double[][] rows(Random random, int n, double mean) {
        double[][] rows = new double[n][NAMES.size()];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = mean + random.nextGaussian();
            }
        }
        return rows;
    }
}
