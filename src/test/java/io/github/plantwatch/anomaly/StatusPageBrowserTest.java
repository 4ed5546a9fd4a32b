package io.github.plantwatch.anomaly;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page in a real headless browser (Debian's chromium driven by playwright-core, see
 * src/test/browser): it loads, shows the model set, and shows an anomaly produced through Kafka with its
 * features. The screenshot is kept as target/status-page.png.
 */
class StatusPageBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src/test/browser");
    private static final Path SCREENSHOT = Path.of("target/status-page.png");

    @Test
    void showsModelsAndALiveAnomalyFromKafka(@TempDir Path modelDir) throws Exception {
        assertTrue(Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")),
                "playwright-core missing: the build runs `npm ci` in src/test/browser (needs Node.js and npm)");
        RunningService.Topics topics = RunningService.Topics.unique("page");
        SensorData data = new SensorData(21);
        try (TestKafka kafka = TestKafka.start();
             RunningService service = RunningService.start(kafka.bootstrapServers(), topics, modelDir, Map.of());
             KafkaProducer<byte[], byte[]> producer = TopicReader.producer(kafka.bootstrapServers())) {
            assertEquals(200, service.post("/api/v1/anomalies/train?wait=true", SensorData.trainingRequest(
                    data.healthyRows(400), "\"lstm_window\": 5, \"lstm_epochs\": 2")).statusCode());

            AtomicBoolean running = new AtomicBoolean(true);
            Thread sensors = Thread.ofPlatform().start(() -> {
                // a healthy stream with a fault every 10th message, until the browser has seen one
                for (int t = 0; running.get(); t++) {
                    double[] values = t % 10 == 9 ? data.faulty() : data.healthy(t);
                    String message = SensorData.message("PUMP-7", "VIB-1", values, "2026-11-29T00:00:00Z");
                    producer.send(new ProducerRecord<>(topics.input(), "PUMP-7".getBytes(StandardCharsets.UTF_8),
                            message.getBytes(StandardCharsets.UTF_8)));
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                Files.deleteIfExists(SCREENSHOT);
                Process browser = new ProcessBuilder("node", "status-page.mjs", service.baseUrl() + "/", "PUMP-7",
                        SCREENSHOT.toAbsolutePath().toString())
                        .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
                String output = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(browser.waitFor(3, TimeUnit.MINUTES), "browser test timed out");
                assertEquals(0, browser.exitValue(), output);
                assertTrue(output.contains("\"models\":3"), output);
                assertTrue(output.contains("PUMP-7") && output.contains("(expected"), "top features shown: " + output);
                assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot kept at " + SCREENSHOT);
            } finally {
                running.set(false);
                sensors.join();
            }
        }
    }
}
