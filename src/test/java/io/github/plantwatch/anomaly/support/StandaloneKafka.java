package io.github.plantwatch.anomaly.support;

import io.github.plantwatch.anomaly.kafka.EmbeddedKafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A single-node KRaft broker in its own JVM ({@code kafka.Kafka server.properties}) with a fixed port and data
 * directory, so a test can stop it and start it again where clients expect it: the in-process test kit cannot restart
 * on the same port. It can also offer a SCRAM listener, to test the service's SASL settings.
 */
public final class StandaloneKafka implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(2);

    private final Path config;
    private final Path log;
    private final String bootstrapServers;
    private final String scramBootstrapServers;
    private ChildJvm jvm;

    private StandaloneKafka(Path config, Path log, String bootstrapServers, String scramBootstrapServers) {
        this.config = config;
        this.log = log;
        this.bootstrapServers = bootstrapServers;
        this.scramBootstrapServers = scramBootstrapServers;
    }

    /** A PLAINTEXT-only broker. */
    public static StandaloneKafka start(Path directory) throws Exception {
        return start(directory, null, null);
    }

    /**
     * A broker with a second listener, SASL_PLAINTEXT with SCRAM-SHA-256, that knows one user (created when the
     * storage is formatted, as KRaft allows). Its PLAINTEXT listener stays open for the tests' own clients.
     */
    public static StandaloneKafka startWithScram(Path directory, String user, String password) throws Exception {
        return start(directory, user, password);
    }

    private static StandaloneKafka start(Path directory, String scramUser, String scramPassword) throws Exception {
        int port = FreePorts.next();
        int controllerPort = FreePorts.next();
        int scramPort = FreePorts.next();
        boolean scram = scramUser != null;
        String listeners = "PLAINTEXT://127.0.0.1:" + port + (scram ? ",SASL_PLAINTEXT://127.0.0.1:" + scramPort : "");
        Map<String, String> server = new LinkedHashMap<>();
        server.put("process.roles", "broker,controller");
        server.put("node.id", "1");
        server.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        server.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
        server.put("advertised.listeners", listeners);
        server.put("controller.listener.names", "CONTROLLER");
        server.put("inter.broker.listener.name", "PLAINTEXT");
        server.put("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        if (scram) {
            server.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
            server.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        server.put("log.dirs", directory.resolve("data").toString());
        server.put("num.partitions", "1");
        server.put("offsets.topic.replication.factor", "1");
        server.put("offsets.topic.num.partitions", "1");
        server.put("transaction.state.log.replication.factor", "1");
        server.put("transaction.state.log.min.isr", "1");
        server.put("group.initial.rebalance.delay.ms", String.valueOf(EmbeddedKafka.INITIAL_REBALANCE_DELAY_MS));
        Files.createDirectories(directory);
        Path config = directory.resolve("server.properties");
        Files.writeString(config, server.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        Path log = ChildJvm.newLogFile("kafka");

        List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()));
        if (scram) {
            format.addAll(List.of("--add-scram",
                    "SCRAM-SHA-256=[name=" + scramUser + ",password=" + scramPassword + "]"));
        }
        int formatted = ChildJvm.start(log, List.of("-Xmx256m"), "kafka.tools.StorageTool", format, Map.of())
                .awaitExit(120);
        if (formatted != 0) {
            throw new IllegalStateException("kafka-storage format failed (" + formatted + "); log: " + log);
        }
        StandaloneKafka kafka = new StandaloneKafka(config, log, "127.0.0.1:" + port,
                scram ? "127.0.0.1:" + scramPort : null);
        kafka.launch();
        return kafka;
    }

    /** Starts the broker (again) on its port and data directory and waits until it answers. */
    public void launch() throws Exception {
        if (jvm != null && jvm.isAlive()) {
            throw new IllegalStateException("the broker is already running");
        }
        jvm = ChildJvm.start(log, List.of("-Xmx512m"), "kafka.Kafka", List.of(config.toString()), Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Await.until("broker " + bootstrapServers + " up (log: " + log + ")", STARTUP, () -> {
                if (!jvm.isAlive()) {
                    throw new IllegalStateException("the broker exited; log: " + log);
                }
                try {
                    return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }

    /** The PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SASL_PLAINTEXT / SCRAM-SHA-256 listener of {@link #startWithScram}. */
    public String scramBootstrapServers() {
        return scramBootstrapServers;
    }

    /** Stops the broker the way an operator or a crash would: SIGKILL, no controlled shutdown. */
    public void kill() throws InterruptedException {
        jvm.kill();
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (jvm != null && jvm.isAlive()) {
            jvm.terminate(60);
        }
    }
}
