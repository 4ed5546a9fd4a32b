package io.github.plantwatch.anomaly.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.HostileRecords;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile corpus, twice over, each hostile record followed by a valid one, sent to a service whose heap is held
 * to {@value #HEAP}: every hostile record reaches the dead-letter topic with its own reason, every valid one is
 * scored, in order, and the service is still running at the end.
 */
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEAP = "256m";
    private static final int ROUNDS = 2;
    private static final int TOPIC_LIMIT = 8 * 1024 * 1024;

    @Test
    void everyHostileRecordIsDeadLetteredWithItsReasonAndTheStreamGoesOn(@TempDir Path modelDir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("hostile");
        List<HostileRecords.Hostile> corpus = HostileRecords.corpus();
        try (TestKafka kafka = TestKafka.start()) {
            String brokers = kafka.bootstrapServers();
            createInputTopicAcceptingHugeRecords(brokers, topics.input());
            Map<String, String> env = ServiceProcess.environment(brokers, topics, modelDir);
            env.put("KAFKA_TOPIC_PARTITIONS", "1");
            try (ServiceProcess service = ServiceProcess.startTrained("hostile", env, "-Xmx" + HEAP,
                    "-XX:+ExitOnOutOfMemoryError")) {
                Map<Long, HostileRecords.Hostile> sent = sendInterleaved(brokers, topics.input(), corpus);
                int valid = sent.size();

                List<ConsumerRecord<byte[], byte[]>> deadLetters = DeliveryAudit.readAtLeast(brokers,
                        topics.deadLetter(), sent.size());
                List<ConsumerRecord<byte[], byte[]>> outputs = DeliveryAudit.readAtLeast(brokers, topics.output(),
                        valid);
                assertEquals(sent.size(), deadLetters.size(), "one dead letter per hostile record");
                Map<Long, ConsumerRecord<byte[], byte[]>> bySourceOffset = new HashMap<>();
                deadLetters.forEach(deadLetter -> bySourceOffset.put(
                        Long.parseLong(TopicReader.header(deadLetter, "x-source-offset")), deadLetter));
                for (Map.Entry<Long, HostileRecords.Hostile> hostile : sent.entrySet()) {
                    assertDeadLetter(hostile.getValue(), bySourceOffset.get(hostile.getKey()));
                }
                assertEquals(valid, outputs.size(), "one result per valid record");
                for (int i = 0; i < valid; i++) {
                    assertEquals(i, JSON.readTree(outputs.get(i).value()).at("/metadata/seq").asInt(),
                            "valid records are scored in input order");
                }
                assertTrue(service.isAlive(), "the service survives the corpus within a " + HEAP + " heap");
                JsonNode status = JSON.readTree(service.api().get(ServiceApi.STATUS).body());
                assertEquals(sent.size(), status.at("/pipeline/dead_lettered").asLong());
                System.out.printf("RELIABILITY | hostile corpus x%d, %s heap | sent %d | outputs %d | dead letters %d"
                        + " | duplicates 0 | lost 0%n", ROUNDS, HEAP, 2 * sent.size(), outputs.size(),
                        deadLetters.size());
            }
        }
    }

    /** A topic limit of 8 MB, so the 5 MB record reaches the service (Kafka's default limit is 1 MB). */
    private static void createInputTopicAcceptingHugeRecords(String brokers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(TOPIC_LIMIT))))).all().get();
        }
    }

    /**
     * Sends the corpus {@value #ROUNDS} times, each hostile record followed by a valid one; returns the hostile
     * records by their offset on the input topic, where their dead letters point back to.
     */
    private static Map<Long, HostileRecords.Hostile> sendInterleaved(String brokers, String topic,
                                                                    List<HostileRecords.Hostile> corpus)
            throws Exception {
        Map<Long, HostileRecords.Hostile> sent = new TreeMap<>();
        SensorData data = new SensorData(5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TOPIC_LIMIT),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int round = 0; round < ROUNDS; round++) {
                for (HostileRecords.Hostile hostile : corpus) {
                    long offset = producer.send(new ProducerRecord<>(topic, key("hostile"), hostile.value()))
                            .get().offset();
                    String valid = SensorData.message("PUMP-1", "VIB-1", data.healthy(sent.size()),
                            "2024-01-01T12:00:00Z", "{\"seq\": " + sent.size() + "}");
                    producer.send(new ProducerRecord<>(topic, key("PUMP-1"), valid.getBytes(StandardCharsets.UTF_8)))
                            .get();
                    sent.put(offset, hostile);
                }
            }
        }
        return sent;
    }

    private static void assertDeadLetter(HostileRecords.Hostile hostile, ConsumerRecord<byte[], byte[]> deadLetter) {
        String reason = TopicReader.header(deadLetter, "x-error-reason");
        assertEquals(hostile.type(), TopicReader.header(deadLetter, "x-error-type"), hostile.name() + ": " + reason);
        assertTrue(reason.contains(hostile.reason()), hostile.name() + ": reason was '" + reason + "'");
        assertFalse(reason.isBlank(), hostile.name());
        assertTrue(reason.length() <= 300, hostile.name() + ": the reason is short: " + reason.length());
        assertFalse(reason.contains(HostileRecords.FILLER), hostile.name() + ": the reason echoes the payload");
        if (hostile.type().equals("too_large")) {
            assertEquals(String.valueOf(hostile.value().length + "hostile".length()),
                    TopicReader.header(deadLetter, "x-original-size"), "size of key and value");
            assertEquals(1024, deadLetter.value().length, "a 1 KiB excerpt");
        } else {
            assertArrayEquals(hostile.value(), deadLetter.value(), hostile.name() + ": the original bytes");
        }
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
