package io.github.plantwatch.anomaly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.kafka.EmbeddedKafka;
import io.github.plantwatch.anomaly.simulator.SensorSimulator;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

/**
 * A single-node KRaft broker on 127.0.0.1 and the service in this JVM, trained over its HTTP API on a simulator's
 * healthy data: what {@code demo} and {@code aot-training} run on.
 */
final class LocalPlant implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedKafka kafka;
    private final Main service;
    private final int httpPort;
    private final String httpBase;
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalPlant(EmbeddedKafka kafka, Main service, int httpPort) {
        this.kafka = kafka;
        this.service = service;
        this.httpPort = httpPort;
        this.httpBase = "http://127.0.0.1:" + httpPort;
    }

    static LocalPlant start() throws Exception {
        System.out.println("Starting a single-node Kafka broker on 127.0.0.1...");
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Main service = new Main();
        service.addOverrideProperty("kafka.bootstrap-servers", kafka.bootstrapServers());
        service.addOverrideProperty("kafka.create-topics", "true");
        service.addOverrideProperty("models.directory", Files.createTempDirectory("anomaly-demo-models").toString());
        System.out.println("Starting the service (Kafka at " + kafka.bootstrapServers() + ")...");
        service.start();
        return new LocalPlant(kafka, service, Integer.parseInt(System.getenv().getOrDefault("HTTP_PORT", "8084")));
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The service's HTTP API and status page port. */
    int httpPort() {
        return httpPort;
    }

    /**
     * Trains the three models on the simulator's healthy data, with a low contamination: that data is clean, and
     * someone watching should see the injected faults, not the 1 % tail of healthy noise.
     */
    void train(SensorSimulator simulator, int rowsPerAsset) throws Exception {
        double[][] rows = simulator.healthyRows(rowsPerAsset);
        String body = JSON.writeValueAsString(Map.of("data", rows, "feature_names", SensorSimulator.featureNames(),
                "lstm_epochs", 8, "contamination", 0.002));
        System.out.printf("Training the three models on %d healthy rows over POST /api/v1/anomalies/train...%n",
                rows.length);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(httpBase
                                + "/api/v1/anomalies/train?wait=true")).timeout(Duration.ofMinutes(5))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("training failed: " + response.body());
        }
        for (JsonNode model : JSON.readTree(response.body()).get("models")) {
            System.out.printf("  %-17s threshold %.3f (%d ms)%n", model.get("model_name").asText(),
                    model.get("threshold").asDouble(), model.get("duration_ms").asLong());
        }
    }

    /** Records the service has finished with so far (scored or dead-lettered), from its status. */
    long handled() throws IOException, InterruptedException {
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(httpBase
                + "/api/v1/anomalies/status")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode pipeline = JSON.readTree(status.body()).get("pipeline");
        return pipeline.get("scored").asLong() + pipeline.get("dead_lettered").asLong();
    }

    @Override
    public void close() throws Exception {
        service.stop();
        kafka.close();
    }
}
