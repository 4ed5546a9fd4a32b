package io.github.plantwatch.anomaly.routes;

import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's example of an edited streaming route, run for real: results carry headers to route on, and the
 * edit diverts the critical verdicts to a topic of their own while every verdict still reaches the output topic.
 */
class RoutingOnResultsTest {

    /** The README's example ("Editing the streaming route"), inserted before the results are sent. */
    static final String DIVERSION = """
                    # divert: the critical verdicts of every asset also go to their own topic
                    - setVariable:
                        name: results
                        simple: "${body}"
                    - setBody:
                        method:
                          ref: outboundRecords
                          method: "matching(${body}, 'critical', '*')"
                    - to:
                        uri: "kafka:{{kafka.topic.output}}-critical"
                        parameters:
                          brokers: "{{kafka.bootstrap-servers}}"
                          synchronous: true
                          batchWithIndividualHeaders: true
                          recordMetadata: false
                          keySerializer: org.apache.kafka.common.serialization.ByteArraySerializer
                          valueSerializer: org.apache.kafka.common.serialization.ByteArraySerializer
                    - setBody:
                        simple: "${variable.results}"
            """;

    @Test
    void anEditedRouteDivertsTheCriticalVerdictsByTheirHeaders(@TempDir Path dir) throws Exception {
        String route = Files.readString(Path.of("routes", "anomaly-detection.camel.yaml"));
        String resultsStep = "              method: results\n";
        assertTrue(route.contains(resultsStep), "the route no longer builds its results there: update this test");
        Path edited = dir.resolve("routes").resolve("anomaly-detection.camel.yaml");
        Files.createDirectories(edited.getParent());
        Files.writeString(edited, route.replace(resultsStep, resultsStep + DIVERSION));

        RunningService.Topics topics = RunningService.Topics.unique("routing");
        try (TestKafka kafka = TestKafka.start();
             RunningService service = RunningService.start(kafka.bootstrapServers(), topics, dir.resolve("models"),
                     Map.of("camel.main.routes-include-pattern", "file:" + edited))) {
            assertEquals(200, service.api().train(SensorData.quickTrainingRequest()).statusCode());
            SensorData data = new SensorData(6);
            try (KafkaProducer<byte[], byte[]> producer = TopicReader.producer(kafka.bootstrapServers())) {
                for (int t = 0; t < 30; t++) {
                    TopicReader.send(producer, topics.input(), "PUMP-1", SensorData.message("PUMP-1", "VIB-1",
                            t == 25 ? data.faulty() : data.healthy(t), "2026-01-01T00:00:00Z")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            List<ConsumerRecord<byte[], byte[]>> all = TopicReader.read(kafka.bootstrapServers(), topics.output(),
                    30, Duration.ofSeconds(60));
            assertEquals(30, all.size(), "every verdict still on the output topic");
            for (ConsumerRecord<byte[], byte[]> result : all) {
                assertEquals("PUMP-1", TopicReader.header(result, "asset_id"));
                assertEquals("global", TopicReader.header(result, "model_scope"));
                assertFalse(TopicReader.header(result, "criticality").isEmpty());
                assertTrue(List.of("true", "false").contains(TopicReader.header(result, "is_anomaly")));
            }
            long critical = all.stream().filter(r -> TopicReader.header(r, "criticality").equals("critical")).count();
            assertTrue(critical >= 1, "the fault is critical");
            List<ConsumerRecord<byte[], byte[]>> diverted = TopicReader.read(kafka.bootstrapServers(),
                    topics.output() + "-critical", (int) critical, Duration.ofSeconds(30));
            assertEquals(critical, diverted.size());
            diverted.forEach(r -> assertEquals("critical", TopicReader.header(r, "criticality")));
        }
    }
}
