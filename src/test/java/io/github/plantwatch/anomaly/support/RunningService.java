package io.github.plantwatch.anomaly.support;

import org.apache.camel.main.Main;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/** The whole service (Camel Main, application.properties, the YAML route, the HTTP API) started in this JVM. */
public final class RunningService implements AutoCloseable {

    private final Main main;
    private final ServiceApi api;
    private final ServiceApi management;

    private RunningService(Main main, int httpPort, int managementPort) {
        this.main = main;
        this.api = new ServiceApi("127.0.0.1", httpPort);
        this.management = new ServiceApi("127.0.0.1", managementPort);
    }

    /** Starts the service against a broker, with its own topics (created), model directory and HTTP port. */
    public static RunningService start(String bootstrapServers, Topics topics, Path modelDir,
                                       Map<String, String> extra) throws Exception {
        int port = FreePorts.next();
        int managementPort = FreePorts.next();
        Main main = new Main();
        main.addOverrideProperty("kafka.bootstrap-servers", bootstrapServers);
        main.addOverrideProperty("kafka.create-topics", "true");
        main.addOverrideProperty("kafka.topic.input", topics.input());
        main.addOverrideProperty("kafka.topic.output", topics.output());
        main.addOverrideProperty("kafka.topic.dead-letter", topics.deadLetter());
        main.addOverrideProperty("kafka.topic.models", topics.models());
        main.addOverrideProperty("kafka.topic.stream-state", topics.streamState());
        main.addOverrideProperty("kafka.topic.episodes", topics.episodes());
        main.addOverrideProperty("kafka.topic.feedback", topics.feedback());
        main.addOverrideProperty("kafka.topic.maintenance", topics.maintenance());
        main.addOverrideProperty("kafka.consumer-group", topics.group());
        main.addOverrideProperty("models.directory", modelDir.toString());
        main.addOverrideProperty("camel.server.port", String.valueOf(port));
        main.addOverrideProperty("camel.management.port", String.valueOf(managementPort));
        extra.forEach(main::addOverrideProperty);
        main.start();
        return new RunningService(main, port, managementPort);
    }

    public org.apache.camel.CamelContext camelContext() {
        return main.getCamelContext();
    }

    public ServiceApi api() {
        return api;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return api.get(path);
    }

    /** GET on the management server (health, metrics). */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return management.get(path);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + api.port();
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return api.post(path, body);
    }

    @Override
    public void close() {
        main.stop();
    }

    /** The topic and consumer-group names one test uses, unique so tests sharing a broker do not meet. */
    public record Topics(String input, String output, String deadLetter, String group, String models,
                         String streamState, String episodes, String feedback, String maintenance) {
        public static Topics unique(String prefix) {
            String id = prefix + "-" + Long.toHexString(System.nanoTime());
            return new Topics(id + "-features", id + "-anomalies", id + "-features.dlq", id + "-group",
                    id + "-models", id + "-stream-state", id + "-episodes", id + "-feedback", id + "-maintenance");
        }
    }
}
