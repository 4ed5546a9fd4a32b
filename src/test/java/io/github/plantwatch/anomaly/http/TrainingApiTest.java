package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training endpoint's limits and failure modes over real HTTP: body, row and feature limits, one training at a
 * time, and a training that fails after the models are trained (they cannot be saved) leaving the models in
 * service as they were.
 */
class TrainingApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 200_000;
    private static final int MAX_ROWS = 1_000;
    private static final int MAX_FEATURES = 4;

    @TempDir
    static Path modelDir;
    private static TestKafka kafka;
    private static RunningService service;
    private static ServiceApi api;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        service = RunningService.start(kafka.bootstrapServers(), RunningService.Topics.unique("training"), modelDir,
                Map.of("camel.server.max-body-size", String.valueOf(MAX_BODY),
                        "training.max-rows", String.valueOf(MAX_ROWS),
                        "training.max-features", String.valueOf(MAX_FEATURES + 1),
                        "training.jobs.queue", "1",
                        // this instance alone: its failure test is about its own model directory
                        "kafka.topic.models", ""));
        api = service.api();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        kafka.close();
    }

    @Test
    void bodyOverTheSizeLimitIsRefusedWith413() throws Exception {
        String body = "{\"data\": [" + "[1,2,3,4,5],".repeat(MAX_BODY / 12) + "[1,2,3,4,5]], "
                + "\"feature_names\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}";
        assertTrue(body.length() > MAX_BODY);
        HttpResponse<String> response = api.train(body);
        assertEquals(413, response.statusCode());
        assertEquals("request body is larger than 200000 bytes (HTTP_MAX_BODY_BYTES)", error(response));
    }

    @Test
    void rowsOverTheLimitAreRefusedWith413() throws Exception {
        HttpResponse<String> response = api.train(SensorData.trainingRequest(
                new SensorData(1).healthyRows(MAX_ROWS + 1), ""));
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("data has 1001 rows; at most 1000 are accepted", error(response));
    }

    @Test
    void featuresOverTheLimitAreRefusedWith400() throws Exception {
        HttpResponse<String> response = api.train("{\"data\": [[1,2,3,4,5,6]], "
                + "\"feature_names\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]}");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("feature_names has 6 names; at most 5 are accepted", error(response));
    }

    @Test
    void theMinimumNumberOfRowsIsEnough() throws Exception {
        // training.min-rows (32) left to fit on after the calibration holdout (25 %): 43 rows, fewer than one
        // Isolation Forest subsample (256)
        HttpResponse<String> response = api.train(SensorData.trainingRequest(new SensorData(4).healthyRows(43),
                "\"models\": [\"isolation_forest\", \"one_class_svm\"]"));
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void trainingRequestsAreJobsThatQueueAndAFullQueueIsRefusedWith429() throws Exception {
        // long enough (LSTM, 30 epochs) to still be running when the next requests arrive
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> train(
                SensorData.trainingRequest(new SensorData(2).healthyRows(MAX_ROWS), "\"lstm_epochs\": 30")));
        Await.until("the first training running", Await.PATIENCE,
                () -> status().at("/training/running").asBoolean());
        HttpResponse<String> queued = api.post("/api/v1/anomalies/train", SensorData.quickTrainingRequest());
        assertEquals(202, queued.statusCode(), queued.body());
        JsonNode job = JSON.readTree(queued.body());
        assertEquals("queued", job.get("state").asText());
        String location = queued.headers().firstValue("Location").orElseThrow();
        assertEquals("/api/v1/anomalies/jobs/" + job.get("job_id").asText(), location);
        HttpResponse<String> full = api.post("/api/v1/anomalies/train", SensorData.quickTrainingRequest());
        assertEquals(429, full.statusCode(), full.body());
        assertTrue(error(full).startsWith("the training queue is full"), full.body());

        HttpResponse<String> firstDone = first.join();
        assertEquals(200, firstDone.statusCode(), "the first training is not disturbed");
        long firstVersion = JSON.readTree(firstDone.body()).get("model_version").asLong();
        Await.until("the queued job done", Await.PATIENCE,
                () -> JSON.readTree(api.get(location).body()).get("state").asText().equals("succeeded"));
        JsonNode done = JSON.readTree(api.get(location).body());
        assertEquals(firstVersion + 1, done.at("/result/model_version").asLong(), done.toString());
        assertTrue(done.has("started_at") && done.has("finished_at"), done.toString());

        HttpResponse<String> unknown = api.get("/api/v1/anomalies/jobs/no-such-job");
        assertEquals(404, unknown.statusCode());
        assertTrue(error(unknown).startsWith("no training job no-such-job"), unknown.body());
    }

    @Test
    void aTrainingThatFailsLeavesTheModelsInServiceUntouched() throws Exception {
        assertEquals(200, api.train(SensorData.quickTrainingRequest()).statusCode());
        JsonNode before = status();
        // a directory where the store writes its temporary file: the models train, then cannot be saved
        Path blocker = Files.createDirectories(modelDir.resolve("model-set.bin.tmp"));
        try {
            HttpResponse<String> failed = api.train(SensorData.trainingRequest(
                    new SensorData(9).healthyRows(300), "\"lstm_window\": 5, \"lstm_epochs\": 2"));
            assertEquals(500, failed.statusCode(), failed.body());
            assertTrue(error(failed).endsWith("the models in service are unchanged"), failed.body());
        } finally {
            Files.delete(blocker);
        }
        JsonNode after = status();
        assertEquals(before.get("model_version"), after.get("model_version"));
        assertEquals(before.get("models"), after.get("models"), "same models, thresholds and training times");
        assertFalse(after.at("/training/running").asBoolean());
        assertEquals(200, api.train(SensorData.quickTrainingRequest()).statusCode(), "training works again");
    }

    private static HttpResponse<String> train(String body) {
        try {
            return api.train(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode status() throws Exception {
        return JSON.readTree(api.get(ServiceApi.STATUS).body());
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("error").asText();
    }
}
