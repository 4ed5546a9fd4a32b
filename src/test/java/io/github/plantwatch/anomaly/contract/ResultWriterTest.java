package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written writer must produce exactly what the data binder writes from the record's annotations. */
class ResultWriterTest {

    @Test
    void writesTheSameBytesAsTheDataBinder() throws Exception {
        Random random = new Random(3);
        double[] awkward = {0.0, -0.0, 1.0, 2.5e-300, 1.7976931348623157e308, 1e21, 123456789.0, 0.1 + 0.2,
                -3.4028234663852886e38, 4.9e-324};
        String[] texts = {"ASSET-0001", "tab\there", "quote \" and \\ backslash", "\u0001control", "é ü 漢字 🙂",
                "</script>", ""};
        JsonNode[] metadata = {
                JsonCodec.mapper().readTree("{}"),
                JsonCodec.mapper().readTree("{\"line\": \"A\", \"n\": 3, \"big\": 12345678901234567890,"
                        + " \"x\": 1.5e-7, \"f\": 0.1, \"nested\": {\"a\": [1, 2.0, null, true, \"s\"]}}"),
                JsonCodec.mapper().readTree("{\"text\": \"line\\nbreak \\u0000 \\\"quoted\\\"\"}")};
        for (int i = 0; i < 300; i++) {
            Map<String, Double> features = new LinkedHashMap<>();
            for (int j = 0; j < 1 + i % 6; j++) {
                features.put(texts[(i + j) % texts.length] + j, i % 3 == 0 ? awkward[(i + j) % awkward.length]
                        : random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10));
            }
            boolean anomaly = i % 4 == 0;
            List<FeatureContribution> top = anomaly ? List.of(
                    new FeatureContribution("rms", random.nextDouble(), random.nextGaussian(), awkward[i % 10]),
                    new FeatureContribution(texts[i % texts.length], 0.25, -0.0, 1e-9)) : List.of();
            List<ModelScore> scores = List.of(
                    new ModelScore(random.nextDouble(), "isolation_forest", 0.8389550009700658, anomaly),
                    new ModelScore(1.0, "one_class_svm", random.nextDouble(), false),
                    new ModelScore(0.0, "lstm_autoencoder", 0.5, true)).subList(0, 1 + i % 3);
            AnomalyResult result = new AnomalyResult(texts[i % texts.length], i % 5 == 0 ? null : texts[(i + 1) % 7],
                    "2026-01-01T12:00:00." + i + "Z", scores, random.nextDouble(), anomaly,
                    Criticality.values()[i % 4], features, i % 7 == 6 ? null : metadata[i % metadata.length],
                    i * 1_000_000_007L, i % 2 == 0 ? "global" : "asset:" + texts[i % texts.length], top,
                    i % 3 == 0 ? null : AnomalyResult.resultId("extracted-features", i % 4, i * 977L),
                    i % 6 == 1, i % 5 == 2 ? "feedback-" + texts[i % texts.length] : null);
            String expected = new String(JsonCodec.mapper().writeValueAsBytes(result), StandardCharsets.UTF_8);
            assertEquals(expected, new String(ResultWriter.write(result), StandardCharsets.UTF_8), "result " + i);
        }
    }

    /** No NaN or Infinity is ever written: Jackson would write them as strings; the writer throws instead. */
    @Test
    void refusesNonFiniteNumbersWhereverTheyAre() throws Exception {
        ModelScore finiteScore = new ModelScore(0.5, "isolation_forest", 0.8, false);
        com.fasterxml.jackson.databind.JsonNode noMetadata = JsonCodec.mapper().readTree("{}");
        List<AnomalyResult> broken = List.of(
                result(List.of(new ModelScore(Double.NaN, "isolation_forest", 0.8, false)), 0.5, Map.of("rms", 1.0),
                        noMetadata, List.of()),
                result(List.of(new ModelScore(0.5, "isolation_forest", Double.POSITIVE_INFINITY, false)), 0.5,
                        Map.of("rms", 1.0), noMetadata, List.of()),
                result(List.of(finiteScore), Double.NaN, Map.of("rms", 1.0), noMetadata, List.of()),
                result(List.of(finiteScore), 0.5, Map.of("rms", Double.NEGATIVE_INFINITY), noMetadata, List.of()),
                result(List.of(finiteScore), 0.5, Map.of("rms", 1.0), noMetadata,
                        List.of(new FeatureContribution("rms", Double.NaN, 1.0, 1.0))),
                result(List.of(finiteScore), 0.5, Map.of("rms", 1.0), noMetadata,
                        List.of(new FeatureContribution("rms", 1.0, 1.0, Double.NEGATIVE_INFINITY))),
                // 1e400 in a record's metadata parses as Infinity
                result(List.of(finiteScore), 0.5, Map.of("rms", 1.0),
                        JsonCodec.mapper().readTree("{\"line\": {\"x\": [1, 1e400]}}"), List.of()));
        for (AnomalyResult result : broken) {
            FiniteJson.NonFiniteNumberException error = org.junit.jupiter.api.Assertions.assertThrows(
                    FiniteJson.NonFiniteNumberException.class, () -> ResultWriter.write(result), result.toString());
            org.junit.jupiter.api.Assertions.assertTrue(error.getMessage().startsWith("non-finite number"),
                    error.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertTrue(new String(ResultWriter.write(result(List.of(finiteScore), 0.5,
                Map.of("rms", 1e-320), JsonCodec.mapper().readTree("{\"x\": 1e-400}"), List.of())),
                StandardCharsets.UTF_8).contains("\"rms\":1.0E-320"));
    }

    private static AnomalyResult result(List<ModelScore> scores, double finalScore, Map<String, Double> features,
                                        com.fasterxml.jackson.databind.JsonNode metadata,
                                        List<FeatureContribution> top) {
        return new AnomalyResult("PUMP-1", "VIB-1", "2026-01-01T00:00:00Z", scores, finalScore, !top.isEmpty(),
                top.isEmpty() ? Criticality.LOW : Criticality.CRITICAL, features, metadata, 1, "global", top, null,
                false, null);
    }
}
