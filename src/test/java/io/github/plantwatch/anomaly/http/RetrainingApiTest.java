package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic retraining through the whole service, against a real broker and over real HTTP: a stream that moved to
 * a new operating point and stays there makes a candidate for its asset from its records, the candidate is
 * promoted (results name the asset's own set, and the new level is normal), and
 * {@code POST /api/v1/assets/{asset_id}/models/rollback} returns the asset to what it had before.
 */
class RetrainingApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RunningService.Topics TOPICS = RunningService.Topics.unique("retraining");
    private static final SensorData DATA = new SensorData(21);

    @TempDir
    static Path modelDir;
    private static TestKafka kafka;
    private static RunningService service;
    private static KafkaProducer<byte[], byte[]> producer;
    private static int sent;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        service = RunningService.start(kafka.bootstrapServers(), TOPICS, modelDir, Map.of(
                "retraining.every-records", "300", "retraining.history-rows", "400",
                "retraining.min-rows", "200", "retraining.shadow-rows", "60", "retraining.new-normal-after", "250",
                "training.lstm.window", "5", "training.lstm.epochs", "2"));
        producer = TopicReader.producer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        service.close();
        kafka.close();
    }

    /** Records of PUMP-9 at a new, steady operating point: kurtosis 6 standard deviations above its trained level. */
    private static void send(int records) throws Exception {
        for (int i = 0; i < records; i++, sent++) {
            double[] values = DATA.healthy(sent);
            values[1] += 0.6;
            TopicReader.send(producer, TOPICS.input(), "PUMP-9", SensorData.message("PUMP-9", "VIB-1",
                    values, "2024-01-01T12:00:00Z").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The newest result, once all records sent so far have one. */
    private static JsonNode newestResult() throws Exception {
        return newestResults(1).getFirst();
    }

    /** The newest {@code n} results (one partition: the asset's), once all records sent so far have one. */
    private static List<JsonNode> newestResults(int n) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> results = TopicReader.read(kafka.bootstrapServers(), TOPICS.output(),
                sent, Duration.ofSeconds(60));
        assertEquals(sent, results.size(), "one result per record");
        List<JsonNode> newest = new java.util.ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : results.subList(results.size() - n, results.size())) {
            newest.add(JSON.readTree(record.value()));
        }
        return newest;
    }

    @Test
    void aStreamRetrainsItsAssetAndARollbackRestoresWhatServedItBefore() throws Exception {
        assertEquals(200, service.api().train(SensorData.quickTrainingRequest()).statusCode());
        send(310); // anomalous for over new-normal-after records at every-records: a candidate from all of them
        JsonNode beforeRetraining = newestResults(60).getFirst(); // record 250: before every-records
        assertEquals("global", beforeRetraining.get("model_scope").asText());
        assertTrue(beforeRetraining.get("is_anomaly").asBoolean(), "the global set flags the new operating point");
        Await.until("the candidate for PUMP-9 in service", Duration.ofMinutes(2),
                () -> service.get("/api/v1/anomalies/status").body().contains("\"asset:PUMP-9\""));
        send(30);
        List<JsonNode> after = newestResults(30);
        JsonNode promoted = after.getLast();
        assertEquals("asset:PUMP-9", promoted.get("model_scope").asText(), promoted.toString());
        long anomalous = after.stream().filter(r -> r.get("is_anomaly").asBoolean()).count();
        assertTrue(anomalous < 20, "the lasting change is the asset's new normal: " + anomalous + " of 30 flagged "
                + "(the global set flags them all)");
        assertEquals(1, promoted.get("model_version").asLong());
        assertTrue(promoted.has("scores") && promoted.get("scores").size() == 3,
                "the stream's window carried over to the new set: all three detectors score at once");
        assertTrue(service.management("/observe/metrics").body()
                .contains("anomaly_retraining_total{outcome=\"promoted\"}"));

        HttpResponse<String> rollback = service.post("/api/v1/assets/PUMP-9/models/rollback", "");
        assertEquals(200, rollback.statusCode(), rollback.body());
        JsonNode restored = JSON.readTree(rollback.body());
        assertEquals("asset:PUMP-9", restored.get("model_scope").asText());
        assertEquals(2, restored.get("model_version").asLong(), "a rollback is a new installation");
        String globalTrainedAt = JSON.readTree(service.get("/api/v1/anomalies/status").body())
                .at("/model_sets/0/trained_at").asText(); // the global set is listed first
        assertEquals(globalTrainedAt, restored.get("trained_at").asText(), "the asset had no set of its own "
                + "before the promotion: the global set's models serve it again");
        send(5);
        assertEquals(2, newestResult().get("model_version").asLong());
    }

    @Test
    void aRollbackOfAnAssetWithoutItsOwnSetOrWithABadIdIsRefused() throws Exception {
        HttpResponse<String> unknown = service.post("/api/v1/assets/NO-SUCH-ASSET/models/rollback", "");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("has no model set of its own to roll back"), unknown.body());
        HttpResponse<String> tooLong = service.post("/api/v1/assets/" + "A".repeat(300) + "/models/rollback", "");
        assertEquals(400, tooLong.statusCode(), tooLong.body());
    }
}
