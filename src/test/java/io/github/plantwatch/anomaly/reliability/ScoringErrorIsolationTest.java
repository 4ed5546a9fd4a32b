package io.github.plantwatch.anomaly.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A valid record whose result genuinely cannot be published, through the real route against a real broker: its
 * metadata holds 1e400, which parses as Infinity, and the result writer refuses every non-finite number. It sits in
 * the middle of a backlog scored as one batch. It is dead-lettered alone as a {@code scoring_error}, every other
 * record has its result, and its stream's verdicts are those of a twin stream that got the same records without it
 * (so it did not change its stream's state). Before per-record isolation, the writing failed the whole batch, which
 * was read again and failed again: the stream stalled.
 */
class ScoringErrorIsolationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = 60;
    /** Positions in PUMP-1's sequence after which a poison record is sent. */
    private static final List<Integer> POISON_AFTER = List.of(20, 41);
    private static final int FAULT_FROM = 30;
    private static final int FAULT_TO = 34;

    @Test
    void aRecordThatCannotBeWrittenIsDeadLetteredAloneAndItsBatchAndStreamGoOn(@TempDir Path modelDir)
            throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("scoring-error");
        try (TestKafka kafka = TestKafka.start();
             RunningService service = RunningService.start(kafka.bootstrapServers(), topics, modelDir,
                     Map.of("kafka.topic.partitions", "1"))) {
            String brokers = kafka.bootstrapServers();
            List<byte[]> poisons = new ArrayList<>();
            List<Long> poisonOffsets = new ArrayList<>();
            // the backlog is sent before training: the route starts on it and polls it in one batch
            SensorData data = new SensorData(21);
            try (KafkaProducer<byte[], byte[]> producer = TopicReader.producer(brokers)) {
                int seq = 0;
                for (int t = 0; t < RECORDS; t++) {
                    double[] values = t >= FAULT_FROM && t <= FAULT_TO ? data.faulty() : data.healthy(t);
                    String timestamp = "2024-01-01T12:" + String.format("%02d", t) + ":00Z";
                    for (String asset : List.of("PUMP-1", "PUMP-2")) {
                        send(producer, topics.input(), asset, SensorData.message(asset, "VIB-1", values, timestamp,
                                "{\"seq\": " + seq++ + ", \"t\": " + t + "}").getBytes(StandardCharsets.UTF_8));
                    }
                    if (POISON_AFTER.contains(t)) {
                        byte[] poison = SensorData.message("PUMP-1", "VIB-1", data.healthy(t), timestamp,
                                "{\"x\": 1e400}").getBytes(StandardCharsets.UTF_8);
                        poisons.add(poison);
                        poisonOffsets.add(send(producer, topics.input(), "PUMP-1", poison));
                    }
                }
            }
            HttpResponse<String> trained = service.api().train(SensorData.quickTrainingRequest());
            assertEquals(200, trained.statusCode(), trained.body());

            List<ConsumerRecord<byte[], byte[]>> outputs = DeliveryAudit.readAtLeast(brokers, topics.output(),
                    2 * RECORDS);
            DeliveryAudit.awaitCommitted(brokers, topics.group(), 2L * RECORDS + poisons.size());
            List<ConsumerRecord<byte[], byte[]>> deadLetters = DeliveryAudit.readAll(brokers, topics.deadLetter());

            assertEquals(poisons.size(), deadLetters.size(), "only the poison records are dead-lettered");
            for (int i = 0; i < poisons.size(); i++) {
                ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.get(i);
                String reason = TopicReader.header(deadLetter, "x-error-reason");
                assertEquals("scoring_error", TopicReader.header(deadLetter, "x-error-type"), reason);
                assertTrue(reason.startsWith("io.github.plantwatch.anomaly.contract.FiniteJson$NonFiniteNumberException:"
                        + " non-finite number Infinity at /metadata/x"), reason);
                assertTrue(reason.length() <= 300, reason);
                assertEquals(String.valueOf(poisonOffsets.get(i)), TopicReader.header(deadLetter, "x-source-offset"));
                assertArrayEquals(poisons.get(i), deadLetter.value(), "the original bytes");
            }

            assertEquals(2 * RECORDS, outputs.size(), "one result per valid record, none for the poison");
            Map<String, List<JsonNode>> byAsset = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> output : outputs) {
                JsonNode result = JSON.readTree(output.value());
                assertFalse(new String(output.value(), StandardCharsets.UTF_8).contains("Infinity"));
                byAsset.computeIfAbsent(result.get("asset_id").asText(), a -> new ArrayList<>()).add(result);
            }
            List<JsonNode> poisoned = byAsset.get("PUMP-1");
            List<JsonNode> twin = byAsset.get("PUMP-2");
            assertEquals(RECORDS, poisoned.size());
            assertEquals(RECORDS, twin.size());
            int anomalies = 0;
            for (int t = 0; t < RECORDS; t++) {
                JsonNode a = poisoned.get(t);
                JsonNode b = twin.get(t);
                assertEquals(t, a.at("/metadata/t").asInt(), "in order");
                assertEquals(t, b.at("/metadata/t").asInt(), "in order");
                for (String field : List.of("final_score", "is_anomaly", "criticality", "scores", "top_features")) {
                    assertEquals(b.get(field), a.get(field), "record " + t + ": " + field + " as in the twin stream");
                }
                anomalies += a.get("is_anomaly").asBoolean() ? 1 : 0;
            }
            assertTrue(anomalies > 0, "the fault is flagged");

            JsonNode status = JSON.readTree(service.get(ServiceApi.STATUS).body());
            assertEquals(poisons.size(), status.at("/pipeline/dead_lettered").asLong());
            String metrics = service.management("/observe/metrics").body();
            assertTrue(metrics.contains("anomaly_messages_dead_lettered_total{reason=\"scoring_error\"} "
                    + poisons.size() + ".0"), metrics);
            System.out.printf("RELIABILITY | scoring error in the middle of a batch | sent %d | outputs %d | dead "
                    + "letters %d (scoring_error)%n", 2 * RECORDS + poisons.size(), outputs.size(), deadLetters.size());
        }
    }

    private static long send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get().offset();
    }
}
