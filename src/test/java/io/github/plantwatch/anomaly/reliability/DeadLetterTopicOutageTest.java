package io.github.plantwatch.anomaly.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.Readiness;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dead-letter topic that cannot take records (its max.message.bytes below any dead letter): the batch with a bad
 * record fails before any of its results is published, is tried again with a growing wait, and the stream pauses
 * (readiness DOWN naming the topic) without republishing results; once the topic takes records again the stream
 * resumes by itself: every record has exactly one result, the bad one its dead letter, none lost.
 */
class DeadLetterTopicOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VALID = 100;

    @Test
    void anUnwritableDeadLetterTopicPausesTheStreamWithoutRepublishingAndItResumesByItself(@TempDir Path dir)
            throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("dlq-down");
        try (TestKafka kafka = TestKafka.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.deadLetter(), 2, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "64")))).all().get();
            try (RunningService service = RunningService.start(kafka.bootstrapServers(), topics, dir, Map.of(
                    "kafka.batch-retry.first-delay-ms", "200",
                    "kafka.batch-retry.max-delay-ms", "1000",
                    "kafka.batch-retry.pause-after", "3"));
                 KafkaProducer<byte[], byte[]> producer = TopicReader.producer(kafka.bootstrapServers())) {
                assertEquals(200, service.api().train(SensorData.quickTrainingRequest()).statusCode());
                SensorData data = new SensorData(4);
                for (int t = 0; t < VALID; t++) {
                    if (t == VALID / 2) {
                        TopicReader.send(producer, topics.input(), "PUMP-1", "{\"asset_id\": ".getBytes(
                                StandardCharsets.UTF_8));
                    }
                    TopicReader.send(producer, topics.input(), "PUMP-1", SensorData.message("PUMP-1", "VIB-1",
                            data.healthy(t), "2026-01-01T00:00:00Z").getBytes(StandardCharsets.UTF_8));
                }
                Readiness.awaitPausedOn(service::management, topics.deadLetter(), Duration.ofSeconds(60));
                int during = results(kafka, topics).size();
                Thread.sleep(3000); // three more attempts at the failing batch
                assertEquals(during, results(kafka, topics).size(), "results republished while paused");
                assertTrue(during < VALID, "the batch with the bad record published nothing: " + during);

                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topics.deadLetter()),
                        List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048576"),
                                AlterConfigOp.OpType.SET)))).all().get();
                Await.until("every result once the topic takes records", Duration.ofSeconds(60),
                        () -> results(kafka, topics).size() >= VALID);
                Readiness.awaitResumed(service::management, Duration.ofSeconds(30));
                List<ConsumerRecord<byte[], byte[]>> results = results(kafka, topics);
                Set<String> ids = new HashSet<>();
                for (ConsumerRecord<byte[], byte[]> result : results) {
                    ids.add(JSON.readTree(result.value()).get("result_id").asText());
                }
                assertEquals(VALID, ids.size(), "one result per valid record");
                assertEquals(VALID, results.size(), "no duplicate: nothing was published by the failing attempts");
                assertEquals(1, TopicReader.read(kafka.bootstrapServers(), topics.deadLetter(), 2,
                        Duration.ofSeconds(5)).size(), "the bad record dead-lettered once");
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> results(TestKafka kafka, RunningService.Topics topics) {
        return TopicReader.read(kafka.bootstrapServers(), topics.output(), Integer.MAX_VALUE, Duration.ofSeconds(2));
    }
}
