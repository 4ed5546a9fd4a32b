package io.github.plantwatch.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.detect.Rarity;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service end to end against a real Kafka broker: nothing consumed before training, training over HTTP,
 * seed-format messages scored, bad records on the dead-letter topic, a restart that reuses the persisted models.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WINDOW = 5;
    /** One partition per topic, so the output's order is the input's and each test reads on from the last. */
    private static final Map<String, String> SINGLE_PARTITION = Map.of("kafka.topic.partitions", "1");

    @TempDir
    static Path modelDir;
    private static TestKafka kafka;
    private static RunningService service;
    private static KafkaProducer<byte[], byte[]> producer;
    private static final RunningService.Topics TOPICS = RunningService.Topics.unique("stream");
    private static final SensorData DATA = new SensorData(7);
    /** Output records read so far, in topic order; each test reads on from there. */
    private static final List<JsonNode> outputs = new ArrayList<>();

    @BeforeAll
    static void startBrokerAndService() throws Exception {
        kafka = TestKafka.start();
        service = RunningService.start(kafka.bootstrapServers(), TOPICS, modelDir, SINGLE_PARTITION);
        producer = TopicReader.producer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void consumesNothingBeforeModelsAreTrained() throws Exception {
        JsonNode status = JSON.readTree(service.get("/api/v1/anomalies/status").body());
        assertFalse(status.get("trained").asBoolean());
        assertEquals("waiting_for_models", status.at("/pipeline/state").asText());
        assertTrue(status.at("/pipeline/first_consumed_at").isNull(), status.toString());
        assertEquals(200, service.management("/observe/health/live").statusCode());
        HttpResponse<String> ready = service.management("/observe/health/ready");
        assertEquals(503, ready.statusCode(), "not ready without models: " + ready.body());
        assertTrue(ready.body().contains("no model trained yet"), ready.body());

        for (int t = 0; t < 20; t++) {
            sendHealthy("PRE-TRAINING", t);
        }
        Thread.sleep(2000);
        assertTrue(committedOffsets().isEmpty(), "no offset may be committed before training");
        assertTrue(TopicReader.read(kafka.bootstrapServers(), TOPICS.output(), 1, Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    @Order(2)
    void rejectsBadTrainingRequestsOverHttpWithoutTouchingTheModels() throws Exception {
        HttpResponse<String> malformed = service.post("/api/v1/anomalies/train", "{\"data\": [[1,2],");
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("not valid JSON"), malformed.body());

        HttpResponse<String> ragged = service.post("/api/v1/anomalies/train",
                "{\"data\": [[1,2],[3]], \"feature_names\": [\"a\", \"b\"]}");
        assertEquals(400, ragged.statusCode());

        HttpResponse<String> unknownModel = service.post("/api/v1/anomalies/train",
                SensorData.trainingRequest(DATA.healthyRows(100), "\"models\": [\"random_forest\"]"));
        assertEquals(400, unknownModel.statusCode());
        assertTrue(unknownModel.body().contains("random_forest"), unknownModel.body());

        assertEquals(405, service.get("/api/v1/anomalies/train").statusCode());
        assertFalse(JSON.readTree(service.get("/api/v1/anomalies/status").body()).get("trained").asBoolean());
    }

    @Test
    @Order(3)
    void trainsOverHttpThenScoresWhatArrivedMeanwhile() throws Exception {
        Instant trainingRequested = Instant.now();
        HttpResponse<String> response = service.post("/api/v1/anomalies/train?wait=true", SensorData.trainingRequest(
                DATA.healthyRows(600), "\"lstm_window\": " + WINDOW + ", \"lstm_epochs\": 4"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = JSON.readTree(response.body());
        assertEquals(1, report.get("model_version").asLong());
        assertEquals(3, report.get("models").size());
        for (JsonNode model : report.get("models")) {
            double threshold = model.get("threshold").asDouble();
            assertTrue(threshold > 0 && threshold < 1, model.toString());
            assertEquals(600, model.get("training_rows").asInt());
        }

        List<JsonNode> preTraining = readOutputs(20);
        assertEquals(20, preTraining.size(), "every message sent before training is scored after it");
        preTraining.forEach(result -> assertEquals("PRE-TRAINING", result.get("asset_id").asText()));

        JsonNode status = JSON.readTree(service.get("/api/v1/anomalies/status").body());
        assertTrue(status.get("trained").asBoolean());
        assertEquals("consuming", status.at("/pipeline/state").asText());
        // the route consumes nothing until the models exist
        Instant firstConsumed = Instant.parse(status.at("/pipeline/first_consumed_at").asText());
        assertTrue(firstConsumed.isAfter(trainingRequested) && firstConsumed.isBefore(Instant.now()),
                firstConsumed + " is not between the training request and now");
        assertEquals(3, status.get("models").size());
        assertEquals(SensorData.FEATURES.size(), status.at("/models/0/feature_names").size());
        HttpResponse<String> ready = service.management("/observe/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
    }

    @Test
    @Order(4)
    void flagsAnomalousMessagesAndWritesTheSeedFormat() throws Exception {
        int healthy = 40;
        for (int t = 0; t < healthy; t++) {
            sendHealthy("PUMP-1", t);
        }
        RecordMetadata faultRecord = producer.send(record("PUMP-1", SensorData.message("PUMP-1", "VIB-1",
                DATA.faulty(), "2024-01-01T13:00:00Z"))).get();
        List<JsonNode> results = readOutputs(healthy + 1);
        assertEquals(healthy + 1, results.size());

        JsonNode first = results.getFirst();
        assertEquals(List.of("isolation_forest", "one_class_svm"), modelNames(first),
                "the LSTM waits for a full window");
        JsonNode fault = results.getLast();
        assertEquals("PUMP-1", fault.get("asset_id").asText());
        assertEquals("VIB-1", fault.get("sensor_id").asText());
        assertEquals("2024-01-01T13:00:00Z", fault.get("timestamp").asText());
        assertEquals(List.of("isolation_forest", "one_class_svm", "lstm_autoencoder"), modelNames(fault));
        for (JsonNode score : fault.get("scores")) {
            assertTrue(score.get("score").asDouble() >= 0 && score.get("score").asDouble() <= 1);
            assertTrue(score.get("threshold").asDouble() > 0 && score.get("threshold").asDouble() < 1);
            assertTrue(score.get("is_anomaly").asBoolean(), score.toString());
        }
        double[] rarities = new double[3];
        int m = 0;
        for (JsonNode score : fault.get("scores")) { // score = rarity / (1 + rarity)
            double s = score.get("score").asDouble();
            rarities[m++] = s / (1 - s);
        }
        double combined = Rarity.combined(rarities, 3);
        assertEquals(combined / (1 + combined), fault.get("final_score").asDouble(), 1e-6,
                "final_score: the harmonic mean of the detectors' tail probabilities, on the same scale");
        assertTrue(fault.get("is_anomaly").asBoolean());
        assertEquals("critical", fault.get("criticality").asText(), "rms 2.5 against 0.5 +- 0.05: far out");
        assertEquals(2.5, fault.at("/features/rms").asDouble(), 0.5);
        assertEquals(SensorData.FEATURES, fieldNames(fault.get("features")));
        assertEquals("A", fault.at("/metadata/line").asText());
        assertEquals(1, fault.get("model_version").asLong());
        assertEquals("global", fault.get("model_scope").asText());
        assertEquals(TOPICS.input() + "/" + faultRecord.partition() + "/" + faultRecord.offset(),
                fault.get("result_id").asText(), "where the judged record was read: the key to drop duplicates");
        JsonNode top = fault.get("top_features");
        assertEquals(3, top.size(), "an anomaly names the features that drove it");
        for (JsonNode feature : top) {
            assertTrue(SensorData.FEATURES.contains(feature.get("name").asText()), feature.toString());
            double contribution = feature.get("contribution").asDouble();
            assertTrue(contribution >= 0 && contribution <= 1, feature.toString());
            assertEquals(fault.at("/features/" + feature.get("name").asText()).asDouble(),
                    feature.get("observed").asDouble(), 1e-9);
            assertTrue(feature.has("expected"), feature.toString());
        }
        results.subList(0, healthy).stream().filter(r -> !r.get("is_anomaly").asBoolean())
                .forEach(r -> assertEquals(0, r.get("top_features").size()));

        long falseAlarms = results.subList(0, healthy).stream().filter(r -> r.get("is_anomaly").asBoolean()).count();
        assertTrue(falseAlarms <= 2, falseAlarms + " of " + healthy + " healthy messages flagged");
    }

    @Test
    @Order(5)
    void sendsEveryKindOfBadRecordToTheDeadLetterTopicAndKeepsGoing() throws Exception {
        Map<String, String> bad = new HashMap<>();
        bad.put("invalid_json", "{\"asset_id\": \"X\", \"features\": {");
        bad.put("missing_field", "{\"sensor_id\": \"S\", \"features\": {\"rms\": 1}}");
        bad.put("missing_field ", "{\"asset_id\": \"X\"}");
        bad.put("invalid_field", "{\"asset_id\": \"X\", \"features\": {\"rms\": \"loud\", \"kurtosis\": 1, "
                + "\"crest_factor\": 1, \"variance\": 1, \"mean\": 0}}");
        bad.put("invalid_field ", "{\"asset_id\": \"X\", \"features\": [1, 2, 3]}");
        bad.put("feature_mismatch", "{\"asset_id\": \"X\", \"features\": {\"rms\": 1, \"temperature\": 80}}");
        List<String> expectedTypes = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(TOPICS.input(),
                    "bad".getBytes(StandardCharsets.UTF_8), value)).get();
            sent.add(value);
            expectedTypes.add(entry.getKey().trim());
        }
        sendHealthy("AFTER-BAD", 1);

        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(kafka.bootstrapServers(), TOPICS.deadLetter(),
                bad.size(), WAIT);
        assertEquals(bad.size(), dead.size());
        for (int i = 0; i < dead.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = dead.get(i);
            assertArrayEquals(sent.get(i), record.value(), "the original bytes, unchanged");
            assertArrayEquals("bad".getBytes(StandardCharsets.UTF_8), record.key());
            assertEquals(expectedTypes.get(i), header(record, "x-error-type"));
            assertFalse(header(record, "x-error-reason").isBlank());
            assertEquals(TOPICS.input(), header(record, "x-source-topic"));
            assertEquals("0", header(record, "x-source-partition"));
            Long.parseLong(header(record, "x-source-offset"));
        }
        List<JsonNode> after = readOutputs(1);
        assertEquals("AFTER-BAD", after.getFirst().get("asset_id").asText());
        JsonNode status = JSON.readTree(service.get("/api/v1/anomalies/status").body());
        assertEquals(bad.size(), status.at("/pipeline/dead_lettered").asLong());

        String metrics = service.management("/observe/metrics").body();
        assertTrue(metrics.contains("anomaly_messages_dead_lettered_total{reason=\"feature_mismatch\"} 1.0"), metrics);
        assertTrue(metrics.contains("anomaly_messages_scored_total"), "scored counter");
        assertTrue(metrics.contains("anomaly_messages_anomalous_total{criticality="), "anomalies by criticality");
        assertTrue(metrics.contains("anomaly_scoring_seconds_count{model=\"lstm_autoencoder\"}"), "LSTM timing");
        assertTrue(metrics.contains("anomaly_batch_size_count"), "batch sizes");
        assertTrue(metrics.contains("anomaly_training_seconds_count{outcome=\"succeeded\"} 1"), "training runs");
        assertTrue(metrics.contains("anomaly_model_age_seconds"), "model age");
        assertTrue(metrics.contains("anomaly_consumer_lag_records"), "consumer lag");
    }

    @Test
    @Order(6)
    void restartScoresWithThePersistedModelsWithoutRetraining() throws Exception {
        service.close();
        service = RunningService.start(kafka.bootstrapServers(), TOPICS, modelDir, SINGLE_PARTITION);
        JsonNode status = JSON.readTree(service.get("/api/v1/anomalies/status").body());
        assertTrue(status.get("trained").asBoolean());
        assertEquals(1, status.get("model_version").asLong());

        sendHealthy("AFTER-RESTART", 1);
        List<JsonNode> results = readOutputs(1);
        assertEquals(1, results.size());
        assertEquals("AFTER-RESTART", results.getFirst().get("asset_id").asText());
        assertEquals(1, results.getFirst().get("model_version").asLong());
    }

    @Test
    @Order(7)
    void scoresAnAssetWithItsOwnModelSetAndTheOthersWithTheGlobalOne() throws Exception {
        HttpResponse<String> response = service.post("/api/v1/anomalies/train?wait=true", SensorData.trainingRequest(
                DATA.healthyRows(300), "\"asset_id\": \"PUMP-9\", \"models\": [\"isolation_forest\"]"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = JSON.readTree(response.body());
        assertEquals("asset:PUMP-9", report.get("model_scope").asText());
        assertEquals(1, report.get("model_version").asLong());

        sendHealthy("PUMP-9", 1);
        sendHealthy("FAN-2", 1);
        List<JsonNode> results = readOutputs(2);
        assertEquals("asset:PUMP-9", results.get(0).get("model_scope").asText());
        assertEquals(List.of("isolation_forest"), modelNames(results.get(0)));
        assertEquals("global", results.get(1).get("model_scope").asText());

        JsonNode status = JSON.readTree(service.get("/api/v1/anomalies/status").body());
        assertEquals(1, status.get("model_version").asLong(), "the global set is untouched");
        List<String> scopes = new ArrayList<>();
        status.get("model_sets").forEach(set -> scopes.add(set.get("model_scope").asText()));
        assertEquals(List.of("global", "asset:PUMP-9"), scopes);
    }

    private static void sendHealthy(String asset, int t) throws Exception {
        producer.send(record(asset, SensorData.message(asset, "VIB-1", DATA.healthy(t),
                "2024-01-01T12:00:" + String.format("%02d", t % 60) + "Z"))).get();
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record(String key, String value) {
        return new org.apache.kafka.clients.producer.ProducerRecord<>(TOPICS.input(),
                key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    /** The next {@code count} output records after those already read. */
    private static List<JsonNode> readOutputs(int count) throws Exception {
        int from = outputs.size();
        List<ConsumerRecord<byte[], byte[]>> all = TopicReader.read(kafka.bootstrapServers(), TOPICS.output(),
                from + count, WAIT);
        for (int i = from; i < all.size(); i++) {
            outputs.add(JSON.readTree(all.get(i).value()));
            assertEquals(outputs.getLast().get("asset_id").asText(),
                    new String(all.get(i).key(), StandardCharsets.UTF_8), "keyed by asset_id");
        }
        return outputs.subList(from, outputs.size());
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(TOPICS.group()).partitionsToOffsetAndMetadata().get();
        }
    }

    private static List<String> modelNames(JsonNode result) {
        List<String> names = new ArrayList<>();
        result.get("scores").forEach(score -> names.add(score.get("model_name").asText()));
        return names;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
