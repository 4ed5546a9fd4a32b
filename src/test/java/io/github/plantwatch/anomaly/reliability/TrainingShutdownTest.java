package io.github.plantwatch.anomaly.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while a training job runs (the service in its own JVM): the job stops at its next epoch, the service
 * stops within its shutdown time, nothing of the training is installed or saved.
 */
class TrainingShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void sigtermDuringATrainingStopsItAndTheServiceCleanly(@TempDir Path modelDir) throws Exception {
        try (ServiceProcess service = ServiceProcess.start("training-sigterm", ServiceProcess.environment(
                kafka.bootstrapServers(), RunningService.Topics.unique("training-sigterm"), modelDir))) {
            HttpResponse<String> accepted = service.api().post("/api/v1/anomalies/train",
                    SensorData.trainingRequest(new SensorData(4).healthyRows(2000), "\"lstm_epochs\": 200"));
            assertEquals(202, accepted.statusCode(), accepted.body());
            String location = accepted.headers().firstValue("Location").orElseThrow();
            Await.until("the LSTM training", Duration.ofMinutes(2), () -> {
                JsonNode job = JSON.readTree(service.api().get(location).body());
                return job.path("progress").asText().contains("epoch");
            });
            long stopping = System.nanoTime();
            service.terminate();
            long seconds = (System.nanoTime() - stopping) / 1_000_000_000;
            assertTrue(seconds < 30, "stopped in " + seconds + " s");
            String log = service.logText();
            assertTrue(log.contains("cancelled: the service is stopping"), "the job says it was cancelled");
            assertTrue(log.contains("Anomaly detection worker stopped"), "a clean stop");
            try (var files = Files.walk(modelDir)) {
                assertFalse(files.anyMatch(file -> file.getFileName().toString().startsWith("model-set")),
                        "nothing of the cancelled training saved");
            }
        }
    }
}
