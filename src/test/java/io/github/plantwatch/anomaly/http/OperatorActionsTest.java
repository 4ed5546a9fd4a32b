package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operators tell the service, over HTTP against a real broker and a really trained model set: a false alarm on
 * an episode keeps the same pattern from opening another episode on that asset (while another pattern still does);
 * a maintenance window keeps an asset's records published but marked, opens no
 * episode, and its end brings episodes back; every bad request gets a 4xx naming the problem.
 */
class OperatorActionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(20));

    private static TestKafka kafka;
    private static RunningService service;
    private static RunningService.Topics topics;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        topics = RunningService.Topics.unique("operators");
        kafka = TestKafka.start();
        service = RunningService.start(kafka.bootstrapServers(), topics, dir, Map.of(
                "episodes.quiet-records", "10",
                "retraining.min-rows", "100",
                "training.lstm.window", "5",
                "training.lstm.epochs", "2"));
        // more rows and epochs than the quick request: its models raise an episode on healthy data now and then
        assertEquals(200, service.api().train(SensorData.trainingRequest(new SensorData(3).healthyRows(1000),
                "\"lstm_window\": 5, \"lstm_epochs\": 4")).statusCode());
        producer = TopicReader.producer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        service.close();
        kafka.close();
    }

    @Test
    void aFalseAlarmKeepsTheSamePatternFromOpeningAnotherEpisode() throws Exception {
        SensorData data = new SensorData(11);
        String asset = "FAN-1";
        sendRange(asset, data, 0, 200, false);
        sendRange(asset, data, 200, 220, true);
        sendRange(asset, data, 220, 260, false);
        Await.until("the fault's episode closed", Duration.ofSeconds(60), () ->
                openedAt(asset, 200) != null && openedAt(asset, 200).get("event").asText().equals("closed"));
        JsonNode episode = openedAt(asset, 200);
        String episodeId = episode.get("episode_id").asText();
        assertEquals(5, episode.get("envelope").size(), "one range per feature: " + episode);

        HttpResponse response = post("/api/v1/anomalies/feedback",
                "{\"episode_id\": \"" + episodeId + "\", \"label\": \"false_alarm\", \"comment\": \"valve test\"}");
        assertEquals(202, response.status(), response.body());
        String feedbackId = response.json().get("feedback_id").asText();
        assertEquals(time(200), response.json().get("from").asText());

        sendRange(asset, data, 260, 280, false);
        sendRange(asset, data, 280, 300, true);
        sendRange(asset, data, 300, 340, false);
        // another pattern on the same asset still alarms
        for (int t = 340; t < 360; t++) {
            send(asset, new double[]{0.5, 3.0, 1.4, 0.25, 5.0}, t);
        }
        sendRange(asset, data, 360, 400, false);

        Await.until("the other pattern in a critical episode", Duration.ofSeconds(60), () -> {
            for (JsonNode e : episodes(asset)) {
                if (e.get("peak_criticality").asText().equals("critical") && !e.get("closed_at").isNull()
                        && e.get("opened_at").asText().compareTo(time(340)) <= 0
                        && e.get("closed_at").asText().compareTo(time(359)) >= 0) {
                    return true;
                }
            }
            return false;
        });
        for (int t = 280; t <= 300; t++) {
            assertEquals(null, openedAt(asset, t), "the known pattern opened an episode at " + t);
        }
        List<JsonNode> results = results(asset, 400);
        for (int t = 280; t < 300; t++) {
            JsonNode result = results.get(t);
            assertFalse(result.get("is_anomaly").asBoolean(), result.toString());
            assertEquals(feedbackId, result.path("normal_by_feedback").asText(), result.toString());
        }
        for (int t = 340; t < 360; t++) {
            assertTrue(results.get(t).get("is_anomaly").asBoolean(), results.get(t).toString());
        }
        JsonNode listed = JSON.readTree(service.get("/api/v1/anomalies/feedback?asset_id=FAN-1").body());
        assertEquals(feedbackId, listed.at("/feedback/0/feedback_id").asText());
        assertEquals("valve test", listed.at("/feedback/0/comment").asText());
        assertTrue(JSON.readTree(service.get(ServiceApi.STATUS).body()).at("/feedback/count").asLong() >= 1);
    }

    @Test
    void feedbackRequestsAreChecked() throws Exception {
        String path = "/api/v1/anomalies/feedback";
        assertProblem(415, "Content-Type", service.api().post(path, "text/plain",
                "{\"episode_id\": \"X/1\", \"label\": \"confirmed\"}"));
        assertProblem(400, "label", post(path, "{\"episode_id\": \"X/1\", \"label\": \"maybe\"}"));
        assertProblem(404, "no episode", post(path, "{\"episode_id\": \"NOPE/VIB-1/9\", \"label\": \"confirmed\"}"));
        assertProblem(400, "unknown field", post(path, "{\"episode\": \"X\", \"label\": \"confirmed\"}"));
        assertProblem(400, "from", post(path, "{\"asset_id\": \"X\", \"label\": \"confirmed\"}"));
        assertProblem(400, "ISO-8601", post(path,
                "{\"asset_id\": \"X\", \"from\": \"monday\", \"until\": \"2026-01-01T00:00:00Z\", \"label\": \"confirmed\"}"));
        assertProblem(400, "before", post(path, "{\"asset_id\": \"X\", \"from\": \"2026-01-02T00:00:00Z\", "
                + "\"until\": \"2026-01-01T00:00:00Z\", \"label\": \"confirmed\"}"));
        assertProblem(400, "control characters", post(path, "{\"asset_id\": \"X\\nINFO forged\", "
                + "\"from\": \"2026-01-01T00:00:00Z\", \"until\": \"2026-01-02T00:00:00Z\", \"label\": \"confirmed\"}"));
        assertProblem(400, "not valid JSON", post(path, "{\"label\": "));
        assertProblem(400, "limit", service.get(path + "?limit=0"));
        HttpResponse onRange = post(path, "{\"asset_id\": \"X\", \"from\": \"2026-01-01T00:00:00Z\", "
                + "\"until\": \"2026-01-02T00:00:00Z\", \"label\": \"confirmed\"}");
        assertEquals(202, onRange.status(), onRange.body());
        assertEquals(0, onRange.json().get("envelope").size(), "no episode of X in that range");
    }

    @Test
    void aMaintenanceWindowKeepsRecordsPublishedButOpensNoEpisode() throws Exception {
        SensorData data = new SensorData(12);
        String asset = "MIXER-1";
        String path = "/api/v1/assets/MIXER-1/maintenance";
        assertProblem(404, "no maintenance window", new HttpResponse(service.api().delete(path)));
        HttpResponse started = post(path, "{\"from\": \"" + time(0) + "\", \"until\": \""
                + BASE.plus(Duration.ofHours(2)) + "\", \"reason\": \"bearing replacement\"}");
        assertEquals(201, started.status(), started.body());
        assertEquals("bearing replacement", started.json().get("reason").asText());

        sendRange(asset, data, 0, 30, false);
        sendRange(asset, data, 30, 50, true);
        List<JsonNode> inMaintenance = results(asset, 50);
        inMaintenance.forEach(result -> assertTrue(result.path("in_maintenance").asBoolean(), result.toString()));
        JsonNode assets = JSON.readTree(service.get("/api/v1/assets").body()).get("assets");
        JsonNode mixer = null;
        for (JsonNode a : assets) {
            mixer = a.get("asset_id").asText().equals(asset) ? a : mixer;
        }
        assertTrue(mixer != null, assets.toString());
        assertEquals("in_maintenance", mixer.get("state").asText(), mixer.toString());
        assertEquals(started.json().get("window_id").asText(), mixer.at("/maintenance/window_id").asText());
        assertEquals(1, JSON.readTree(service.get(path).body()).get("windows").size());

        HttpResponse ended = new HttpResponse(service.api().delete(path));
        assertEquals(200, ended.status(), ended.body());
        assertEquals(1, ended.json().get("ended").size());
        sendRange(asset, data, 50, 70, true);
        Await.until("an episode once the maintenance ended", Duration.ofSeconds(60), () -> episodes(asset).size() == 1);
        assertEquals(time(50), episodes(asset).get(0).get("opened_at").asText(),
                "no episode from the records in maintenance");
        assertFalse(results(asset, 70).get(69).has("in_maintenance"));

        assertProblem(415, "Content-Type", service.api().post(path, null, "{\"until\": \"2030-01-01T00:00:00Z\"}"));
        assertProblem(400, "until is required", post(path, "{\"reason\": \"x\"}"));
        assertProblem(400, "must be after", post(path, "{\"from\": \"2030-01-02T00:00:00Z\", "
                + "\"until\": \"2030-01-01T00:00:00Z\"}"));
        assertProblem(400, "at most 366 days", post(path, "{\"until\": \"2099-01-01T00:00:00Z\"}"));
        assertProblem(400, "asset_id", post("/api/v1/assets/" + "A".repeat(300) + "/maintenance",
                "{\"until\": \"2030-01-01T00:00:00Z\"}"));
        assertProblem(400, "limit", service.get("/api/v1/assets/MIXER-1/scores?limit=5000"));
        JsonNode scores = JSON.readTree(service.get("/api/v1/assets/MIXER-1/scores?limit=70").body());
        assertEquals(70, scores.get("points").size());
        assertTrue(scores.at("/points/69/final_score").isNumber() && scores.at("/points/0/in_maintenance")
                .asBoolean(), scores.toString());
        assertTrue(scores.get("vote_threshold").asDouble() > 0 && scores.get("critical_score").asDouble()
                > scores.get("high_score").asDouble(), scores.toString());
    }

    private static String time(int t) {
        return BASE.plusSeconds(t).toString();
    }

    private static void sendRange(String asset, SensorData data, int from, int to, boolean faulty) throws Exception {
        for (int t = from; t < to; t++) {
            send(asset, faulty ? data.faulty() : data.healthy(t), t);
        }
    }

    private static void send(String asset, double[] values, int t) throws Exception {
        TopicReader.send(producer, topics.input(), asset, SensorData.message(asset, "VIB-1", values, time(t))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The asset's episode opened by the record of time t, or null. */
    private static JsonNode openedAt(String asset, int t) throws Exception {
        for (JsonNode episode : episodes(asset)) {
            if (episode.get("opened_at").asText().equals(time(t))) {
                return episode;
            }
        }
        return null;
    }

    private static JsonNode episodes(String asset) throws Exception {
        return JSON.readTree(service.get("/api/v1/anomalies/episodes?asset_id=" + asset).body()).get("episodes");
    }

    /** The asset's first {@code count} results, in order (a record's duplicates, if any, after its first). */
    private static List<JsonNode> results(String asset, int count) throws Exception {
        List<JsonNode> results = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.read(kafka.bootstrapServers(), topics.output(),
                Integer.MAX_VALUE, Duration.ofSeconds(5))) {
            JsonNode result = JSON.readTree(record.value());
            if (result.get("asset_id").asText().equals(asset) && seen.add(result.get("result_id").asText())) {
                results.add(result);
            }
        }
        assertTrue(results.size() >= count, "results of " + asset + ": " + results.size());
        return results;
    }

    private static HttpResponse post(String path, String body) throws Exception {
        return new HttpResponse(service.post(path, body));
    }

    private static void assertProblem(int status, String naming, java.net.http.HttpResponse<String> response)
            throws Exception {
        assertProblem(status, naming, new HttpResponse(response));
    }

    private static void assertProblem(int status, String naming, HttpResponse response) throws Exception {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.json().get("error").asText().contains(naming), response.body());
    }

    private record HttpResponse(java.net.http.HttpResponse<String> raw) {
        int status() {
            return raw.statusCode();
        }

        String body() {
            return raw.body();
        }

        JsonNode json() throws Exception {
            return JSON.readTree(raw.body());
        }
    }
}
