package io.github.plantwatch.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control-room page in a real headless browser (Debian's chromium driven by playwright-core, see
 * src/test/browser/control-room.mjs) against the real service and broker: a healthy asset, a faulty one whose
 * episode is open when the page opens, and one whose asset and sensor ids hold HTML. The script checks that tiles
 * and episodes show at once from history, the score chart is drawn, feedback is given with the keyboard only, a
 * maintenance window starts and ends from a tile, ids show as text, and nothing logs an error or opens a dialog;
 * the service requires a bearer token for POST and DELETE, which the page asks for once on the first 401; this
 * test then checks what the service recorded. Screenshots: target/control-room.png and
 * target/control-room-maintenance.png.
 */
class ControlRoomBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src/test/browser");
    private static final Path SHOTS = Path.of("target");
    private static final String HEALTHY = "PUMP-3";
    private static final String FAULTY = "PUMP-7";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final String HOSTILE_SENSOR = "<script>alert(2)</script>";
    private static final String COMMENT = "washing the pump, not a fault";
    /** What the service asks of POST and DELETE callers; the page asks the user for it on the first 401. */
    private static final String TOKEN = "control-room-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anOnCallEngineerSeesHistoryGivesFeedbackAndSetsMaintenance(@TempDir Path modelDir) throws Exception {
        assertTrue(Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")),
                "playwright-core missing: the build runs `npm ci` in src/test/browser (needs Node.js and npm)");
        RunningService.Topics topics = RunningService.Topics.unique("control-room");
        SensorData data = new SensorData(21);
        try (TestKafka kafka = TestKafka.start();
             RunningService service = RunningService.start(kafka.bootstrapServers(), topics, modelDir,
                     Map.of("training.api.token", TOKEN));
             KafkaProducer<byte[], byte[]> producer = TopicReader.producer(kafka.bootstrapServers())) {
            assertEquals(200, service.api().train(SensorData.trainingRequest(data.healthyRows(400),
                    "\"lstm_window\": 5, \"lstm_epochs\": 2"), "Authorization", "Bearer " + TOKEN).statusCode());

            AtomicBoolean running = new AtomicBoolean(true);
            Thread sensors = Thread.ofPlatform().start(() -> {
                // the healthy asset always healthy; the faulty one faulty every 5th record (its episode stays
                // open); the one with HTML ids faulty for a moment at the start (its episode opens, then closes)
                for (int t = 0; running.get(); t++) {
                    String now = Instant.now().toString();
                    send(producer, topics.input(), HEALTHY, SensorData.message(HEALTHY, "VIB-1", data.healthy(t), now));
                    send(producer, topics.input(), FAULTY, SensorData.message(FAULTY, "VIB-1",
                            t % 5 == 4 ? data.faulty() : data.healthy(t), now));
                    send(producer, topics.input(), HOSTILE, SensorData.message(HOSTILE, HOSTILE_SENSOR,
                            t >= 3 && t < 9 ? data.faulty() : data.healthy(t), now));
                    try {
                        Thread.sleep(150);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                // the page opens after both episodes exist: it must show them from history
                Await.until("episodes of " + FAULTY + " and of the asset with HTML ids", Duration.ofSeconds(90), () -> {
                    JsonNode episodes = JSON.readTree(service.get("/api/v1/anomalies/episodes").body()).path("episodes");
                    boolean faultyOpen = false;
                    boolean hostile = false;
                    for (JsonNode episode : episodes) {
                        faultyOpen |= FAULTY.equals(episode.path("asset_id").asText()) && episode.path("closed_at").isNull();
                        hostile |= HOSTILE.equals(episode.path("asset_id").asText());
                    }
                    return faultyOpen && hostile;
                });
                Files.createDirectories(SHOTS);
                Files.deleteIfExists(SHOTS.resolve("control-room.png"));
                Files.deleteIfExists(SHOTS.resolve("control-room-maintenance.png"));
                Process browser = new ProcessBuilder("node", "control-room.mjs", service.baseUrl() + "/", FAULTY, HOSTILE,
                        HEALTHY, SHOTS.toAbsolutePath().toString(), TOKEN)
                        .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
                String output = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(browser.waitFor(3, TimeUnit.MINUTES), "browser test timed out");
                assertEquals(0, browser.exitValue(), output);
                System.out.println("control-room.mjs: " + output.strip());
                JsonNode seen = JSON.readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                        .orElseThrow(() -> new AssertionError("no JSON from the script: " + output)));

                // history at once, before any live event
                assertEquals("feed: connecting", seen.path("feed_before_release").asText(), output);
                assertTrue(seen.path("tiles").has(FAULTY) && seen.path("tiles").has(HOSTILE), output);
                assertTrue(seen.path("episodes").asInt() >= 2, output);
                assertEquals(3, seen.path("models").asInt(), output);
                // the chart, with its levels
                assertTrue(seen.path("chart").path("points").asInt() >= 2, output);
                assertEquals(3, seen.path("chart").path("levels").size(), output);
                // the first POST answered 401: the page asked for the token once and sent it again
                assertTrue(seen.path("token_asked").asBoolean(), output);
                // ids with HTML shown as text, nothing injected
                assertEquals(HOSTILE, seen.path("hostile_heading").asText(), output);
                assertEquals(0, seen.path("injected").path("images").asInt(), output);
                // maintenance: the service had the window, and it ended
                assertEquals("in_maintenance", seen.path("maintenance_served").asText(), output);
                assertNotEquals("in_maintenance", seen.path("after_end").asText(), output);

                // what the service recorded from the page
                String episodeId = seen.path("open_episode").asText();
                JsonNode feedback = JSON.readTree(service.get("/api/v1/anomalies/feedback?asset_id=" + FAULTY).body())
                        .path("feedback");
                boolean recorded = false;
                for (JsonNode f : feedback) {
                    recorded |= episodeId.equals(f.path("episode_id").asText())
                            && "false_alarm".equals(f.path("label").asText()) && COMMENT.equals(f.path("comment").asText());
                }
                assertTrue(recorded, "feedback recorded: " + feedback);
                for (JsonNode asset : JSON.readTree(service.get("/api/v1/assets").body()).path("assets")) {
                    if (FAULTY.equals(asset.path("asset_id").asText())) {
                        assertNotEquals("in_maintenance", asset.path("state").asText(), asset.toString());
                        assertTrue(asset.path("maintenance").isNull() || asset.path("maintenance").isMissingNode(),
                                asset.toString());
                    }
                }
                assertTrue(Files.size(SHOTS.resolve("control-room.png")) > 10_000, "screenshot kept");
                assertTrue(Files.size(SHOTS.resolve("control-room-maintenance.png")) > 10_000, "screenshot kept");
            } finally {
                running.set(false);
                sensors.join();
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String message) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                message.getBytes(StandardCharsets.UTF_8)));
    }
}
