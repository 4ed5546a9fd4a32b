package io.github.plantwatch.anomaly.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
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

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert route (routes/alerts.camel.yaml) against a real HTTP server and a real broker: a fault's episode is
 * posted to the webhook when it opens and when it closes, in PagerDuty's format with the episode id as dedup key;
 * a webhook that keeps failing gets its retries, then the episode events are dead-lettered with the reason, while
 * every verdict is still published.
 */
class AlertRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestKafka kafka;
    private static HttpServer webhook;
    private static final List<String> delivered = new CopyOnWriteArrayList<>();
    private static final List<String> refused = new CopyOnWriteArrayList<>();
    private static final List<String> refusedDuringOutage = new CopyOnWriteArrayList<>();
    private static final List<String> deliveredAfterOutage = new CopyOnWriteArrayList<>();
    private static final List<Long> deliveredAt = new CopyOnWriteArrayList<>();
    private static volatile boolean receiverDown;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            delivered.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            deliveredAt.add(System.currentTimeMillis());
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        webhook.createContext("/flaky", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            (receiverDown ? refusedDuringOutage : deliveredAfterOutage).add(body);
            exchange.sendResponseHeaders(receiverDown ? 500 : 202, -1);
            exchange.close();
        });
        webhook.createContext("/down", exchange -> {
            refused.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(500, -1); // not 503: the HTTP client itself retries a 503 once
            exchange.close();
        });
        webhook.start();
    }

    @AfterAll
    static void stop() throws Exception {
        webhook.stop(0);
        kafka.close();
    }

    @Test
    void aFaultsEpisodeIsRaisedAndResolvedOnTheWebhook(@TempDir Path dir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("alerts");
        try (RunningService service = start(topics, dir, "/hook")) {
            sendAFault(topics, 40);
            Await.until("the raise and the resolve on the webhook", Duration.ofSeconds(60),
                    () -> delivered.stream().anyMatch(body -> body.contains("\"resolve\"")));
        }
        ConsumerRecord<byte[], byte[]> opened = TopicReader.read(kafka.bootstrapServers(), topics.episodes(), 1,
                Duration.ofSeconds(10)).getFirst();
        long latency = deliveredAt.getFirst() - opened.timestamp();
        assertTrue(latency >= 0 && latency < 2000, "alert on the webhook " + latency + " ms after the episode opened");
        JsonNode raised = JSON.readTree(delivered.getFirst());
        assertEquals("trigger", raised.get("event_action").asText());
        assertEquals("routing-key-for-test", raised.get("routing_key").asText());
        assertEquals("PUMP-1/VIB-1/1", raised.get("dedup_key").asText());
        assertEquals("critical", raised.at("/payload/severity").asText());
        assertTrue(raised.at("/payload/summary").asText().startsWith("CRITICAL anomaly on PUMP-1 / VIB-1"),
                raised.toString());
        JsonNode resolved = JSON.readTree(delivered.getLast());
        assertEquals("resolve", resolved.get("event_action").asText());
        assertEquals("PUMP-1/VIB-1/1", resolved.get("dedup_key").asText(), "one incident, raised and resolved");
    }

    @Test
    void anUndeliverableAlertIsRetriedThenDeadLetteredAndScoringGoesOn(@TempDir Path dir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("alerts-down");
        try (RunningService service = start(topics, dir, "/down")) {
            sendAFault(topics, 5);
            List<ConsumerRecord<byte[], byte[]>> results = TopicReader.read(kafka.bootstrapServers(),
                    topics.output(), 26, Duration.ofSeconds(60));
            assertEquals(26, results.size(), "every verdict published while the webhook fails");
            Await.until("a dead letter", Duration.ofSeconds(60), () -> !TopicReader.read(kafka.bootstrapServers(),
                    topics.episodes() + ".alerts-dlq", 1, Duration.ofSeconds(1)).isEmpty());
            Thread.sleep(2000); // the retries of any later event of the episode
            List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicReader.read(kafka.bootstrapServers(),
                    topics.episodes() + ".alerts-dlq", Integer.MAX_VALUE, Duration.ofSeconds(5));
            ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.getFirst();
            assertEquals("opened", JSON.readTree(deadLetter.value()).get("event").asText(), "the original event");
            assertEquals("alert_undeliverable", TopicReader.header(deadLetter, "x-error-type"));
            assertTrue(TopicReader.header(deadLetter, "x-error-reason").contains("500"),
                    TopicReader.header(deadLetter, "x-error-reason"));
            assertEquals(3 * deadLetters.size(), refused.size(), "per event: the first call and 2 retries");
        }
    }

    @Test
    void aReceiverThatWasDownGetsEveryAlertOnceItIsBack(@TempDir Path dir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("alerts-outage");
        receiverDown = true;
        try (RunningService service = start(topics, dir, "/flaky", 20, 1000)) {
            sendAFault(topics, 40);
            Await.until("the receiver refused the first alert", Duration.ofSeconds(60),
                    () -> !refusedDuringOutage.isEmpty());
            Thread.sleep(6000); // the outage: its retries wait up to 1 s each (alerts.retry-max-delay-ms)
            receiverDown = false;
            Await.until("both alerts once the receiver is back", Duration.ofSeconds(30),
                    () -> deliveredAfterOutage.size() >= 2);
            assertEquals("trigger", JSON.readTree(deliveredAfterOutage.get(0)).get("event_action").asText());
            assertEquals("resolve", JSON.readTree(deliveredAfterOutage.get(1)).get("event_action").asText(),
                    "in order, once each");
            assertTrue(TopicReader.read(kafka.bootstrapServers(), topics.episodes() + ".alerts-dlq", 1,
                    Duration.ofSeconds(2)).isEmpty(), "nothing dead-lettered");
        }
    }

    private static RunningService start(RunningService.Topics topics, Path dir, String path) throws Exception {
        return start(topics, dir, path, 2, 100);
    }

    private static RunningService start(RunningService.Topics topics, Path dir, String path, int retries,
                                        long maxDelayMillis) throws Exception {
        RunningService service = RunningService.start(kafka.bootstrapServers(), topics, dir.resolve("models"), Map.of(
                "alerts.webhook-url", "http://127.0.0.1:" + webhook.getAddress().getPort() + path,
                "alerts.webhook-format", "pagerduty",
                "alerts.pagerduty-routing-key", "routing-key-for-test",
                "alerts.retries", String.valueOf(retries),
                "alerts.retry-delay-ms", "100",
                "alerts.retry-max-delay-ms", String.valueOf(maxDelayMillis),
                "kafka.topic.alerts-dead-letter", topics.episodes() + ".alerts-dlq",
                "episodes.quiet-records", "10"));
        assertEquals(200, service.api().train(SensorData.quickTrainingRequest()).statusCode());
        return service;
    }

    /** 20 healthy records, one fault (critical), then {@code after} healthy ones. */
    private static void sendAFault(RunningService.Topics topics, int after) throws Exception {
        SensorData data = new SensorData(7);
        try (KafkaProducer<byte[], byte[]> producer = TopicReader.producer(kafka.bootstrapServers())) {
            for (int t = 0; t < 21 + after; t++) {
                TopicReader.send(producer, topics.input(), "PUMP-1", SensorData.message("PUMP-1", "VIB-1",
                        t == 20 ? data.faulty() : data.healthy(t), "2026-01-01T00:00:" + (t % 60) + "Z")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
