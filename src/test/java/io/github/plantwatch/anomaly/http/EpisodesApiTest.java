package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History over HTTP, from the episodes topic, against a real broker: a fault that ended is a closed episode and its
 * asset normal again; a fault still on leaves its asset anomalous since its first record; bad parameters get 400.
 */
class EpisodesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void episodesAndAssetsShowWhatHappened(@TempDir Path dir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("history");
        try (TestKafka kafka = TestKafka.start();
             RunningService service = RunningService.start(kafka.bootstrapServers(), topics, dir,
                     Map.of("episodes.quiet-records", "5"))) {
            assertEquals(200, service.api().train(SensorData.quickTrainingRequest()).statusCode());
            SensorData data = new SensorData(5);
            try (KafkaProducer<byte[], byte[]> producer = TopicReader.producer(kafka.bootstrapServers())) {
                for (int t = 0; t < 40; t++) {
                    send(producer, topics, "PUMP-1", t == 20 ? data.faulty() : data.healthy(t), t);
                    send(producer, topics, "PUMP-2", t >= 30 ? data.faulty() : data.healthy(t), t);
                }
            }
            Await.until("both assets in the history", Duration.ofSeconds(60), () ->
                    assets(service).size() == 2 && assets(service).get(1).get("state").asText().equals("anomalous"));
            JsonNode assets = assets(service);
            JsonNode pump1 = assets.get(0);
            assertEquals("PUMP-1", pump1.get("asset_id").asText());
            assertEquals("normal", pump1.get("state").asText(), pump1.toString());
            assertEquals("closed", pump1.at("/last_episode/event").asText());
            JsonNode pump2 = assets.get(1);
            assertEquals("anomalous", pump2.get("state").asText());
            assertEquals("2026-01-01T00:00:30Z", pump2.get("anomalous_since").asText());
            assertEquals("critical", pump2.get("criticality").asText());

            JsonNode episodes = JSON.readTree(service.get("/api/v1/anomalies/episodes?asset_id=PUMP-1").body())
                    .get("episodes");
            assertEquals(1, episodes.size(), episodes.toString());
            assertEquals("PUMP-1/VIB-1/1", episodes.get(0).get("episode_id").asText());
            assertEquals("2026-01-01T00:00:20Z", episodes.get(0).get("opened_at").asText());
            assertEquals(0, JSON.readTree(service.get("/api/v1/anomalies/episodes?since=2027-01-01T00:00:00Z")
                    .body()).get("episodes").size());
            JsonNode firstPage = JSON.readTree(service.get("/api/v1/anomalies/episodes?limit=1").body())
                    .get("episodes");
            assertEquals(1, firstPage.size());
            JsonNode nextPage = JSON.readTree(service.get("/api/v1/anomalies/episodes?limit=1&before="
                    + firstPage.get(0).get("opened_at").asText()).body()).get("episodes");
            assertEquals(1, nextPage.size(), "the page before the first one");
            assertTrue(nextPage.get(0).get("opened_at").asText().compareTo(firstPage.get(0).get("opened_at").asText())
                    < 0, nextPage.toString());
            assertTrue(service.get("/api/v1/anomalies/episodes?before=soon").body().contains("before must be"));
            assertEquals(400, service.get("/api/v1/anomalies/episodes?limit=0").statusCode());
            assertEquals(400, service.get("/api/v1/anomalies/episodes?limit=ten").statusCode());
            assertTrue(service.get("/api/v1/anomalies/episodes?since=yesterday").body().contains("ISO-8601"));
        }
    }

    private static JsonNode assets(RunningService service) throws Exception {
        return JSON.readTree(service.get("/api/v1/assets").body()).get("assets");
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, RunningService.Topics topics, String asset,
                             double[] values, int t) throws Exception {
        TopicReader.send(producer, topics.input(), asset, SensorData.message(asset, "VIB-1", values,
                String.format("2026-01-01T00:00:%02dZ", t)).getBytes(StandardCharsets.UTF_8));
    }
}
