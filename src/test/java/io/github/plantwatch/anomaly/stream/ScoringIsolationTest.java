package io.github.plantwatch.anomaly.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.plantwatch.anomaly.Settings;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.contract.RejectionReason;
import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.ParameterSink;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-record isolation in the scoring step ({@link AnomalyScorer}) with really trained models: a record whose
 * batched detector call throws, or whose result cannot be written, is set aside alone as a {@code scoring_error};
 * every other record of its batch gets exactly the verdict, episode event and changelog state it gets in the same
 * batch without that record.
 */
class ScoringIsolationTest {

    private static final List<String> NAMES = GaussianModels.NAMES;
    /** The value of feature a that makes the wrapped detector throw. */
    private static final double POISON = 777;
    private static ScoringSettings scoring;
    private static ModelSet trained;
    private static CamelContext camel;

    @BeforeAll
    static void train() {
        scoring = Settings.shipped().scoring().withoutRetraining();
        trained = GaussianModels.train(1500);
        camel = new DefaultCamelContext();
    }

    @AfterAll
    static void close() throws Exception {
        camel.close();
    }

    private static double[] normal(Random random) {
        return GaussianModels.normal(random);
    }

    /**
     * The trained set with its first point detector wrapped: it throws, for the whole batched call, when one of
     * the vectors it is given is a record whose feature a was {@value #POISON} (z far above anything else sent).
     */
    private static ModelSet throwingOnPoison() {
        List<TrainedModel> models = new ArrayList<>(trained.models());
        for (int m = 0; m < models.size(); m++) {
            TrainedModel model = models.get(m);
            if (model.detector().windowLength() == 1) {
                Detector real = model.detector();
                double poisonZ = (POISON - 50 - trained.standardizer().mean()[0]) / trained.standardizer().scale()[0];
                Detector throwing = new Detector() {
                    @Override
                    public String name() {
                        return real.name();
                    }

                    @Override
                    public int windowLength() {
                        return 1;
                    }

                    @Override
                    public double[] rawScores(double[][][] windows) {
                        for (double[][] window : windows) {
                            if (window[0][0] > poisonZ) {
                                throw new ArithmeticException("detector broke on a poison vector");
                            }
                        }
                        return real.rawScores(windows);
                    }

                    @Override
                    public void write(ParameterSink out) {
                        real.write(out);
                    }
                };
                models.set(m, new TrainedModel(throwing, model.calibration(), model.trainedAt(),
                        model.trainingRows(), model.trainingMillis()));
                break;
            }
        }
        return new ModelSet(trained.version(), trained.trainedAt(), trained.featureNames(), trained.standardizer(),
                models, trained.ensembleThreshold(), trained.scope(), trained.members(), trained.provenance());
    }

    private static AnomalyScorer scorer(ModelSet models) {
        return new AnomalyScorer(new MessageScorer(asset -> Optional.of(models), scoring), partition -> Map.of(),
                ThresholdRecalibration.ofOneSet(scoring, new AtomicReference<>(models)));
    }

    /** Three streams, 12 records each, interleaved, with an isolated spike in each stream. */
    private static List<DecodedBatch.Accepted> batch(FeatureMessage poison, int poisonAt) {
        return batch(poison, poisonAt, 100, 7, 12);
    }

    /**
     * The batch before the one tested (offsets 10 to 99: the next batch starts where it ended, so the scorer keeps
     * its streams rather than restoring them from the changelog), so the streams come to it with a state: windows,
     * votes, baselines, and an episode that is still open when the next batch starts.
     */
    private static DecodedBatch warmUp() {
        return new DecodedBatch(batch(null, -1, 10, 5, 30), List.of());
    }

    private static List<DecodedBatch.Accepted> batch(FeatureMessage poison, int poisonAt, long firstOffset,
                                                     long seed, int records) {
        Random random = new Random(seed);
        List<DecodedBatch.Accepted> batch = new ArrayList<>();
        long offset = firstOffset;
        for (int t = 0; t < records; t++) {
            for (String asset : List.of("PUMP-1", "PUMP-2", "PUMP-3")) {
                double[] values = normal(random);
                if (t == 4 + asset.charAt(5) - '1' || records > 12 && t == records - 1) {
                    values[1] += 8; // a spike: an anomaly, an episode (in the warm-up, one still open at its end)
                }
                if (poison != null && batch.size() == poisonAt) {
                    batch.add(accepted(offset++, poison));
                }
                batch.add(accepted(offset++, FeatureMessage.of(asset, "S1", NAMES, values, "2024-01-01T00:00:"
                        + (10 + t) + "Z")));
            }
        }
        return batch;
    }

    private static DecodedBatch.Accepted accepted(long offset, FeatureMessage message) {
        Exchange record = new DefaultExchange(camel);
        record.getMessage().setHeader(KafkaConstants.TOPIC, "features");
        record.getMessage().setHeader(KafkaConstants.PARTITION, 0);
        record.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        record.getMessage().setBody("{}".getBytes(StandardCharsets.UTF_8));
        return new DecodedBatch.Accepted(record, message);
    }

    private static List<DecodedBatch.Accepted> without(List<DecodedBatch.Accepted> batch,
                                                       Predicate<DecodedBatch.Accepted> left) {
        return batch.stream().filter(left.negate()).toList();
    }

    @Test
    void aRecordWhoseBatchedDetectorCallThrowsIsSetAsideAloneAndTheOthersKeepTheirVerdicts() {
        ModelSet models = throwingOnPoison();
        double[] poisoned = normal(new Random(9));
        poisoned[0] = POISON;
        FeatureMessage poison = FeatureMessage.of("PUMP-2", "S1", NAMES, poisoned, "2024-01-01T00:00:15Z");
        List<DecodedBatch.Accepted> batch = batch(poison, 16);
        assertIsolated(models, batch, message -> message.message() == poison, "java.lang.ArithmeticException: "
                + "detector broke on a poison vector");
    }

    @Test
    void aRecordWhoseResultCannotBeWrittenIsSetAsideAloneAndItsStreamIsAsBeforeIt() {
        // metadata {"x": 1e400} parses as Infinity: its result would carry a non-finite number
        FeatureMessage valid = FeatureMessage.of("PUMP-1", "S1", NAMES, normal(new Random(9)), "2024-01-01T00:00:15Z");
        ObjectNode metadata = JsonCodec.mapper().createObjectNode();
        metadata.put("x", Double.POSITIVE_INFINITY);
        FeatureMessage poison = new FeatureMessage(valid.assetId(), valid.sensorId(), valid.features(),
                valid.timestamp(), metadata);
        List<DecodedBatch.Accepted> batch = batch(poison, 13);
        assertIsolated(trained, batch, message -> message.message() == poison, "FiniteJson$NonFiniteNumberException: "
                + "non-finite number Infinity at /metadata/x");
    }

    private static void assertIsolated(ModelSet models, List<DecodedBatch.Accepted> batch,
                                       Predicate<DecodedBatch.Accepted> poison, String reason) {
        AnomalyScorer isolating = scorer(models);
        AnomalyScorer referee = scorer(models);
        assertEquals(90, isolating.score(warmUp()).results().size());
        assertEquals(90, referee.score(warmUp()).results().size());
        ScoredBatch scored = isolating.score(new DecodedBatch(batch, List.of()));
        ScoredBatch reference = referee.score(new DecodedBatch(without(batch, poison), List.of()));

        assertEquals(1, scored.rejected().size(), "only the poison record is set aside");
        DecodedBatch.Rejected rejected = scored.rejected().getFirst();
        assertTrue(poison.test(batch.stream().filter(m -> m.source() == rejected.source()).findFirst().orElseThrow()));
        assertEquals(RejectionReason.SCORING_ERROR, rejected.rejection().reason());
        assertTrue(rejected.rejection().message().contains(reason), rejected.rejection().message());
        assertTrue(rejected.rejection().message().length() <= 300);

        assertEquals(batch.size() - 1, scored.results().size(), "every other record has its result");
        assertTrue(scored.results().stream().anyMatch(r -> r.isAnomaly()), "the batch holds anomalies");
        assertEquals(texts(reference.resultJson()), texts(scored.resultJson()), "the same verdicts as without it");
        assertEquals(texts(reference.episodeJson()), texts(scored.episodeJson()), "the same episode events");
        assertEquals(reference.checkpoints().size(), scored.checkpoints().size());
        for (int i = 0; i < reference.checkpoints().size(); i++) {
            assertEquals(reference.checkpoints().get(i).streamKey(), scored.checkpoints().get(i).streamKey());
            assertEquals(java.util.Arrays.toString(reference.checkpoints().get(i).state()),
                    java.util.Arrays.toString(scored.checkpoints().get(i).state()),
                    "the same stream state for the changelog: " + reference.checkpoints().get(i).streamKey());
        }
    }

    private static List<String> texts(List<byte[]> json) {
        return json.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
    }
}
