package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.Settings;
import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.ModelScore;
import io.github.plantwatch.anomaly.detect.ModelSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verdict mechanisms with the shipped scoring settings and really trained models, on data the test makes:
 * isolated spikes, gross and absurd values, a shift that settles, a fault that keeps developing. Features are
 * i.i.d. normal with mean 10 and standard deviation 1 (so one training SD is 1 unit).
 */
class VerdictMechanismsTest {

    private static final List<String> NAMES = GaussianModels.NAMES;
    private static ScoringSettings scoring;
    private static ModelSet models;

    @BeforeAll
    static void train() {
        scoring = Settings.shipped().scoring().withoutRetraining();
        models = GaussianModels.train(1500);
    }

    private static double[] normal(Random random) {
        return GaussianModels.normal(random);
    }

    private static double[][] normalRows(Random random, int n) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = normal(random);
        }
        return rows;
    }

    private static MessageScorer scorer() {
        return new MessageScorer(asset -> Optional.of(models), scoring);
    }

    private static FeatureMessage message(String asset, double[] values) {
        return FeatureMessage.of(asset, "S1", NAMES, values, "t");
    }

    private static List<AnomalyResult> oneStream(MessageScorer scorer, List<double[]> rows) {
        List<AnomalyResult> results = new ArrayList<>();
        for (double[] row : rows) {
            results.add(scorer.score(List.of(message("PUMP-1", row))).getFirst().result());
        }
        return results;
    }

    @Test
    void isolatedSpikesAreFlaggedOnThemselvesAndRaiseNoAlarmAfterThem() {
        Random random = new Random(2);
        int assets = 20;
        int records = 22;
        int[] spikeAt = new int[assets];
        for (int a = 0; a < assets; a++) {
            spikeAt[a] = 11 + random.nextInt(records - 11); // after the window has filled
        }
        List<FeatureMessage> withSpikes = new ArrayList<>();
        List<FeatureMessage> without = new ArrayList<>();
        for (int t = 0; t < records; t++) { // round robin over the assets, as a plant's streams interleave
            for (int a = 0; a < assets; a++) {
                double[] row = normal(random);
                without.add(message("ASSET-" + a, row));
                if (t == spikeAt[a]) {
                    row = row.clone();
                    for (int j = 0; j < row.length; j++) {
                        row[j] += 8; // +8 training SDs on every feature
                    }
                }
                withSpikes.add(message("ASSET-" + a, row));
            }
        }
        List<AnomalyResult> spiked = inBatches(withSpikes);
        List<AnomalyResult> plain = inBatches(without);
        for (int a = 0; a < assets; a++) {
            AnomalyResult spike = spiked.get(spikeAt[a] * assets + a);
            assertTrue(spike.isAnomaly(), "the spike of asset " + a);
            assertEquals("critical", spike.criticality().jsonName(), "8 SDs on every feature");
            for (int t = spikeAt[a] + 1; t < records; t++) {
                int i = t * assets + a;
                assertTrue(!spiked.get(i).isAnomaly() || plain.get(i).isAnomaly(), "asset " + a + ", "
                        + (t - spikeAt[a]) + " records after its spike: flagged only if it is without the spike");
            }
        }
    }

    /** Scored in batches of 100, as the route gets them. */
    private static List<AnomalyResult> inBatches(List<FeatureMessage> messages) {
        MessageScorer scorer = scorer();
        List<AnomalyResult> results = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += 100) {
            scorer.score(messages.subList(from, Math.min(messages.size(), from + 100)))
                    .forEach(outcome -> results.add(outcome.result()));
        }
        return results;
    }

    @Test
    void aFarOutOrAbsurdRecordIsCriticalOnItselfAndNoNumberItProducesIsNotFinite() {
        double[][] far = {
                {60, 10, 10, 10, 10},                  // 50 training SDs on one feature
                {1e30, 10, 10, 10, 10},
                {1e300, 10, 10, 10, 10},
                {1e300, 1e300, 1e300, 1e300, 1e300},
                {-1e308, 1e300, 1e-320, 10, -1e308},
                {Double.MAX_VALUE, -Double.MAX_VALUE, 10, 10, 10}};
        for (double[] values : far) {
            MessageScorer scorer = scorer();
            List<double[]> rows = new ArrayList<>(List.of(normalRows(new Random(3), 30)));
            rows.add(values);
            AnomalyResult result = oneStream(scorer, rows).getLast();
            String shown = java.util.Arrays.toString(values);
            assertTrue(result.isAnomaly(), shown);
            assertEquals("critical", result.criticality().jsonName(), shown);
            assertTrue(Double.isFinite(result.finalScore()) && result.finalScore() < 1, shown);
            for (ModelScore score : result.scores()) {
                assertTrue(Double.isFinite(score.score()) && Double.isFinite(score.threshold()), shown + " " + score);
            }
            result.topFeatures().forEach(f -> assertTrue(Double.isFinite(f.contribution())
                    && Double.isFinite(f.expected()), shown + " " + f));
        }
        MessageScorer scorer = scorer();
        List<double[]> tiny = new ArrayList<>(List.of(normalRows(new Random(4), 30)));
        tiny.add(new double[]{1e-320, 10, 10, 10, 10}); // 10 SDs below: anomalous, and finite everywhere
        AnomalyResult result = oneStream(scorer, tiny).getLast();
        assertTrue(result.isAnomaly() && Double.isFinite(result.finalScore()));
    }

    /**
     * Extreme finite values (1e300, -1e308, 1e-320 and mixtures, on every feature) alone, in runs long enough for
     * the settle rule to take them as a level, and followed by normal records: every number of every result and
     * episode event, as the service writes them (ResultWriter, episode JSON), is finite, and far-out values are
     * critical anomalies.
     */
    @Test
    void extremeValuesOnEveryFeatureNeverPutNaNOrInfinityInResultsOrEpisodes() throws Exception {
        double[] extremes = {1e300, -1e308, 1e-320, -1e-320, Double.MAX_VALUE, -Double.MAX_VALUE, 1e30};
        List<double[]> cases = new ArrayList<>();
        for (double extreme : extremes) {
            for (int j = 0; j < NAMES.size(); j++) {
                double[] one = {10, 10, 10, 10, 10};
                one[j] = extreme;
                cases.add(one);
            }
            cases.add(new double[]{extreme, extreme, extreme, extreme, extreme});
        }
        cases.add(new double[]{-1e308, 1e300, 1e-320, 10, -1e308});
        cases.add(new double[]{1e300, -1e308, 1e-320, -1e308, 1e300});
        cases.add(new double[]{1e-320, 1e-320, 1e300, 1e-320, -1e308});
        for (double[] values : cases) {
            // a lasting level of extremes on every feature, long enough for the settle rule to take it
            boolean everywhere = java.util.Arrays.stream(values).noneMatch(v -> v == 10);
            int run = everywhere ? scoring.settleRecords() + 20 : 20;
            String shown = java.util.Arrays.toString(values);
            MessageScorer scorer = scorer();
            List<FeatureMessage> messages = new ArrayList<>();
            Random random = new Random(8);
            for (int i = 0; i < 30; i++) {
                messages.add(message("PUMP-1", normal(random)));
            }
            int first = messages.size();
            messages.add(message("PUMP-1", values));           // alone
            for (int i = 0; i < 5; i++) {
                messages.add(message("PUMP-1", normal(random)));
            }
            for (int i = 0; i < run; i++) {
                messages.add(message("PUMP-1", values));
            }
            for (int i = 0; i < 30; i++) {
                messages.add(message("PUMP-1", normal(random)));
            }
            List<MessageScorer.Outcome> outcomes = new ArrayList<>();
            for (int from = 0; from < messages.size(); from += 50) {
                outcomes.addAll(scorer.score(messages.subList(from, Math.min(messages.size(), from + 50))));
            }
            for (int i = 0; i < outcomes.size(); i++) {
                MessageScorer.Outcome outcome = outcomes.get(i);
                assertTrue(outcome.result() != null, shown + " record " + i + ": " + outcome.rejection());
                assertFinite(new String(io.github.plantwatch.anomaly.contract.ResultWriter.write(outcome.result()),
                        java.nio.charset.StandardCharsets.UTF_8), shown + " result " + i);
                if (outcome.episode() != null) {
                    assertFinite(new String(io.github.plantwatch.anomaly.contract.FiniteJson.write(outcome.episode()),
                            java.nio.charset.StandardCharsets.UTF_8), shown + " episode " + i);
                    assertFinite(io.github.plantwatch.anomaly.contract.JsonCodec.mapper()
                            .writeValueAsString(outcome.episode()), shown + " episode (data binder) " + i);
                }
            }
            // nor does the stream keep a non-finite number for the records after these (window, baseline, settle)
            StreamSnapshot state = scorer.snapshot(messages.getFirst());
            List<double[]> kept = new ArrayList<>(List.of(state.shift(), state.pending(), state.recent(),
                    state.anchor()));
            java.util.Arrays.stream(state.window()).filter(java.util.Objects::nonNull).forEach(kept::add);
            for (double[] numbers : kept) {
                assertTrue(java.util.Arrays.stream(numbers).allMatch(Double::isFinite),
                        shown + ": stream state " + java.util.Arrays.toString(numbers));
            }
            boolean farOut = java.util.Arrays.stream(values).anyMatch(v -> Math.abs(v - 10) > 1e6);
            if (farOut) {
                AnomalyResult alone = outcomes.get(first).result();
                assertTrue(alone.isAnomaly(), shown);
                assertEquals("critical", alone.criticality().jsonName(), shown);
            } else { // 1e-320 on features whose training values are 10 +- 1: 10 SDs below
                assertTrue(outcomes.get(first).result().isAnomaly(), shown);
            }
        }
    }

    /** JSON text with no NaN or Infinity anywhere, and every number in it finite. */
    private static void assertFinite(String json, String what) throws Exception {
        assertTrue(!json.contains("NaN") && !json.contains("Infinity"), what + ": " + json);
        java.util.Deque<com.fasterxml.jackson.databind.JsonNode> open = new java.util.ArrayDeque<>();
        open.push(io.github.plantwatch.anomaly.contract.JsonCodec.mapper().readTree(json));
        while (!open.isEmpty()) {
            com.fasterxml.jackson.databind.JsonNode node = open.pop();
            if (node.isNumber()) {
                assertTrue(Double.isFinite(node.doubleValue()), what + ": " + json);
            }
            node.forEach(open::push);
        }
    }

    @Test
    void aShiftThatSettlesBecomesTheNewNormalAfterTheSettleTime() {
        Random random = new Random(5);
        List<double[]> rows = new ArrayList<>(List.of(normalRows(random, 100)));
        int after = scoring.settleRecords() + 300;
        for (int t = 0; t < after; t++) {
            double[] row = normal(random);
            row[0] += 4; // a new operating point, 4 SDs up, that stays
            rows.add(row);
        }
        List<AnomalyResult> results = oneStream(scorer(), rows);
        assertTrue(share(results.subList(100, 150)) >= 0.8, "the shift is flagged: " + share(results.subList(100, 150)));
        double settled = share(results.subList(results.size() - 100, results.size()));
        assertTrue(settled <= 0.1, "after the settle time the new level is normal: " + settled);
    }

    @Test
    void aFaultThatKeepsDevelopingStaysAnomalous() {
        Random random = new Random(6);
        List<double[]> rows = new ArrayList<>(List.of(normalRows(random, 100)));
        for (int t = 0; t < 1000; t++) {
            double[] row = normal(random);
            row[0] += 1 + 0.01 * t; // from 1 SD, 1 more every 100 records
            rows.add(row);
        }
        List<AnomalyResult> results = oneStream(scorer(), rows);
        double end = share(results.subList(results.size() - 200, results.size()));
        assertTrue(end >= 0.9, "a developing fault is never taken as normal: " + end);
    }

    private static double share(List<AnomalyResult> results) {
        return results.stream().filter(AnomalyResult::isAnomaly).count() / (double) results.size();
    }
}
