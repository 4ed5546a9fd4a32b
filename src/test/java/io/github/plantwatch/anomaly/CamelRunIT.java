package io.github.plantwatch.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.CamelCliProcess;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import io.github.plantwatch.anomaly.stream.PipelineGate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's {@code camel run} for real: Camel's CLI ({@code bin/camel}) runs {@code routes/*.camel.yaml}
 * unchanged, with {@code application.properties} and the packaged service jar, against a real Kafka broker. The
 * route waits for models, the models are trained over the HTTP API, and a message comes out scored. It needs the
 * shaded jar of the package phase, hence an integration test ({@code mvn verify}).
 */
class CamelRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPOSITORY = Path.of("").toAbsolutePath();
    private static final Path SERVICE_JAR = Path.of("target", "anomaly-detection-service.jar");
    private static final String STREAMING_ROUTE_FILE = "routes/anomaly-detection.camel.yaml";
    /** Generous: the first run resolves the CLI from Maven and JavaCPP unpacks its natives. */
    private static final Duration STARTUP = Duration.ofMinutes(4);
    private static final Duration RESULT = Duration.ofMinutes(2);
    /** Kept after the run, for a look at what Camel's CLI printed. */
    private static final Path LOG = Path.of("target", "camel-run-it.log");

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void camelRunRunsTheYamlRouteOnTheServiceJarAndScoresAMessageFromKafka() throws Exception {
        assertTrue(Files.isRegularFile(SERVICE_JAR), SERVICE_JAR + " is missing: it is built by the package phase "
                + "(run this test with mvn verify)");
        RunningService.Topics topics = RunningService.Topics.unique("camel-run");
        int httpPort = freePort();
        try (TestKafka kafka = TestKafka.start();
             KafkaProducer<byte[], byte[]> producer = TopicReader.producer(kafka.bootstrapServers());
             CamelCliProcess camel = CamelCliProcess.start(REPOSITORY, camelRunArguments(),
                     environment(kafka.bootstrapServers(), topics, httpPort), LOG)) {

            JsonNode status = awaitStatus(camel, httpPort);
            assertEquals("waiting_for_models", status.at("/pipeline/state").asText(),
                    camel.explain("without models the route must wait (PipelineGate): " + status));

            TopicReader.send(producer, topics.input(), "PUMP-7", SensorData.message("PUMP-7", "VIB-1",
                    new SensorData(5).healthy(0), "2024-01-01T12:00:00Z").getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> training = post(httpPort, "/api/v1/anomalies/train?wait=true", SensorData.trainingRequest(
                    new SensorData(3).healthyRows(300), "\"lstm_window\": 5, \"lstm_epochs\": 2"));
            assertEquals(200, training.statusCode(), camel.explain("training over HTTP failed: " + training.body()));

            List<ConsumerRecord<byte[], byte[]>> results = TopicReader.read(kafka.bootstrapServers(), topics.output(),
                    1, RESULT);
            assertEquals(1, results.size(), camel.explain("no result on " + topics.output() + " within " + RESULT
                    + " of training"));
            JsonNode result = JSON.readTree(results.getFirst().value());
            assertEquals("PUMP-7", result.get("asset_id").asText(), result.toString());
            assertEquals(1, result.get("model_version").asLong(), result.toString());
            assertEquals(List.of("isolation_forest", "one_class_svm"), modelNames(result),
                    "the stream's first message: the point detectors score it, the LSTM waits for a window");
            double finalScore = result.get("final_score").asDouble();
            assertTrue(finalScore >= 0 && finalScore <= 1, result.toString());

            JsonNode cliStatus = awaitRouteInCliStatus(camel);
            assertEquals(new DefaultCamelContext(false).getVersion(), cliStatus.at("/context/version").asText(),
                    "camel run must run routes on the service's own Camel version");
            String source = routeSource(cliStatus, PipelineGate.ROUTE_ID);
            assertTrue(source.startsWith("file:" + STREAMING_ROUTE_FILE), camel.explain("the route came from "
                    + source + ", not from the file given to camel run"));
        }
    }

    /**
     * The README's command, the shell's glob expanded, with its optional logging flag: the service's own log4j2
     * configuration keeps Kafka's clients at WARN, so the log a failure quotes shows what matters.
     */
    private static List<String> camelRunArguments() throws IOException {
        List<String> arguments = new ArrayList<>(List.of("run"));
        try (Stream<Path> routes = Files.list(REPOSITORY.resolve("routes"))) {
            routes.map(route -> "routes/" + route.getFileName()).filter(route -> route.endsWith(".camel.yaml"))
                    .sorted().forEach(arguments::add);
        }
        arguments.addAll(List.of("application.properties", SERVICE_JAR.toString(),
                "--logging-config-path=src/main/resources/log4j2.properties"));
        return arguments;
    }

    /** Configuration through application.properties' variables only, as an operator would. */
    private Map<String, String> environment(String bootstrapServers, RunningService.Topics topics, int httpPort)
            throws IOException {
        Map<String, String> environment = ServiceProcess.environment(bootstrapServers, topics,
                work.resolve("models"));
        environment.put("KAFKA_TOPIC_PARTITIONS", "1");
        environment.put("HTTP_PORT", String.valueOf(httpPort));
        environment.put("MANAGEMENT_PORT", String.valueOf(freePort()));
        environment.put("CAMEL_JAVA_OPTS", "-Xmx1g");
        return environment;
    }

    /** Polls the status endpoint until it answers, the CLI exits, or {@link #STARTUP} has passed. */
    private JsonNode awaitStatus(CamelCliProcess camel, int httpPort) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline && camel.isAlive()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/api/v1/anomalies/status")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return JSON.readTree(response.body());
                }
            } catch (IOException notListeningYet) {
                // Camel is still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError(camel.explain("the service's HTTP API did not answer on port " + httpPort
                + " within " + STARTUP));
    }

    private HttpResponse<String> post(int httpPort, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofMinutes(5)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The CLI connector writes its status file every second or so; waits until it lists the streaming route. */
    private static JsonNode awaitRouteInCliStatus(CamelCliProcess camel) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> status = camel.cliStatus();
            if (status.isPresent() && !routeSource(status.get(), PipelineGate.ROUTE_ID).isEmpty()) {
                return status.get();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(camel.explain("the Camel CLI's status file never listed route "
                + PipelineGate.ROUTE_ID));
    }

    private static String routeSource(JsonNode cliStatus, String routeId) {
        for (JsonNode route : cliStatus.path("routes")) {
            if (routeId.equals(route.path("routeId").asText())) {
                return route.path("source").asText();
            }
        }
        return "";
    }

    private static List<String> modelNames(JsonNode result) {
        List<String> names = new ArrayList<>();
        result.get("scores").forEach(score -> names.add(score.get("model_name").asText()));
        return names;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
