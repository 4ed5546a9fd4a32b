package io.github.plantwatch.anomaly.support;

import io.github.plantwatch.anomaly.kafka.EmbeddedKafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * KRaft Kafka in child JVMs ({@code kafka.Kafka server.properties}), one per node, each node a broker and a voter of
 * the controller quorum, with fixed ports and data directories: a test can SIGKILL a node and start it again where
 * clients expect it, which the in-process test kit cannot. A node can also offer a second listener that speaks only
 * SASL/SCRAM or only TLS, to test the service's security settings. Topics are never created automatically, as on a
 * production cluster: what exists was created by the service or the test.
 */
public final class StandaloneKafka implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(2);

    /** A listener besides PLAINTEXT: its protocol, the broker settings it needs, what formatting the storage adds. */
    private record SecureListener(String protocol, Map<String, String> settings, List<String> formatArguments) {
    }

    /** One node: its configuration, log, client address and, while it runs, its JVM. */
    private static final class Node {
        private final int id;
        private final Path config;
        private final Path log;
        private final String address;
        private final String secureAddress;
        private ChildJvm jvm;

        private Node(int id, Path config, Path log, String address, String secureAddress) {
            this.id = id;
            this.config = config;
            this.log = log;
            this.address = address;
            this.secureAddress = secureAddress;
        }

        private boolean isAlive() {
            return jvm != null && jvm.isAlive();
        }
    }

    private final List<Node> nodes;

    private StandaloneKafka(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** A single PLAINTEXT broker. */
    public static StandaloneKafka start(Path directory) throws Exception {
        return start(directory, 1, null);
    }

    /**
     * A cluster of {@code size} nodes with one controller quorum; the internal topics (consumer offsets) are
     * replicated on min(3, size) of them.
     */
    public static StandaloneKafka startCluster(Path directory, int size) throws Exception {
        return start(directory, size, null);
    }

    /**
     * A broker with a second listener, SASL_PLAINTEXT with SCRAM-SHA-256, that knows one user (created when the
     * storage is formatted, as KRaft allows). Its PLAINTEXT listener stays open for the tests' own clients.
     */
    public static StandaloneKafka startWithScram(Path directory, String user, String password) throws Exception {
        return start(directory, 1, new SecureListener("SASL_PLAINTEXT", Map.of(
                "sasl.enabled.mechanisms", "SCRAM-SHA-256",
                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                List.of("--add-scram", "SCRAM-SHA-256=[name=" + user + ",password=" + password + "]")));
    }

    /**
     * A broker with a second listener that speaks only TLS, with the key pair of {@code keystores} (a client trusts
     * it through their truststore). Its PLAINTEXT listener stays open for the tests' own clients.
     */
    public static StandaloneKafka startWithTls(Path directory, TestKeystores keystores) throws Exception {
        return start(directory, 1, new SecureListener("SSL", Map.of(
                "ssl.keystore.location", keystores.keystore().toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", keystores.password()),
                List.of()));
    }

    private static StandaloneKafka start(Path directory, int size, SecureListener secure) throws Exception {
        List<Integer> controllerPorts = IntStream.range(0, size).mapToObj(i -> FreePorts.next()).toList();
        String voters = IntStream.range(0, size).mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        List<Node> nodes = new ArrayList<>();
        List<ChildJvm> formatting = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Node node = configure(directory.resolve("node-" + (i + 1)), i + 1, size, controllerPorts.get(i), voters,
                    secure);
            nodes.add(node);
            List<String> format = new ArrayList<>(List.of("format", "-t", clusterId, "-c", node.config.toString()));
            if (secure != null) {
                format.addAll(secure.formatArguments());
            }
            formatting.add(ChildJvm.start(node.log, List.of("-Xmx256m"), "kafka.tools.StorageTool", format,
                    Map.of()));
        }
        for (int i = 0; i < size; i++) {
            int formatted = formatting.get(i).awaitExit(120);
            if (formatted != 0) {
                throw new IllegalStateException("kafka-storage format failed (" + formatted + "); log: "
                        + nodes.get(i).log);
            }
        }
        StandaloneKafka kafka = new StandaloneKafka(nodes);
        kafka.launch();
        return kafka;
    }

    private static Node configure(Path directory, int id, int size, int controllerPort, String voters,
                                  SecureListener secure) throws Exception {
        int port = FreePorts.next();
        int securePort = FreePorts.next();
        String listeners = "PLAINTEXT://127.0.0.1:" + port
                + (secure != null ? "," + secure.protocol() + "://127.0.0.1:" + securePort : "");
        String internalReplicas = String.valueOf(Math.min(3, size));
        Map<String, String> server = new LinkedHashMap<>();
        server.put("process.roles", "broker,controller");
        server.put("node.id", String.valueOf(id));
        server.put("controller.quorum.voters", voters);
        server.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
        server.put("advertised.listeners", listeners);
        server.put("controller.listener.names", "CONTROLLER");
        server.put("inter.broker.listener.name", "PLAINTEXT");
        server.put("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + (secure != null ? "," + secure.protocol() + ":"
                        + secure.protocol() : ""));
        if (secure != null) {
            server.putAll(secure.settings());
        }
        server.put("log.dirs", directory.resolve("data").toString());
        server.put("auto.create.topics.enable", "false");
        server.put("num.partitions", "1");
        server.put("offsets.topic.replication.factor", internalReplicas);
        server.put("offsets.topic.num.partitions", "1");
        server.put("transaction.state.log.replication.factor", internalReplicas);
        server.put("transaction.state.log.min.isr", "1");
        server.put("group.initial.rebalance.delay.ms", String.valueOf(EmbeddedKafka.INITIAL_REBALANCE_DELAY_MS));
        Files.createDirectories(directory);
        Path config = directory.resolve("server.properties");
        Files.writeString(config, server.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        return new Node(id, config, ChildJvm.newLogFile("kafka-" + id), "127.0.0.1:" + port,
                secure != null ? "127.0.0.1:" + securePort : null);
    }

    /**
     * Starts every node that is not running (again, on its ports and data directory) and waits until the cluster
     * counts all of them: the nodes of a cluster are started together, as none can start without a quorum.
     */
    public void launch() throws Exception {
        for (Node node : nodes) {
            if (!node.isAlive()) {
                node.jvm = ChildJvm.start(node.log, List.of("-Xmx512m"), "kafka.Kafka",
                        List.of(node.config.toString()), Map.of());
            }
        }
        String logs = nodes.stream().map(node -> node.log.toString()).collect(Collectors.joining(", "));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Await.until(nodes.size() + " node(s) up at " + bootstrapServers() + " (logs: " + logs + ")", STARTUP,
                    () -> {
                        for (Node node : nodes) {
                            if (!node.isAlive()) {
                                throw new IllegalStateException("node " + node.id + " exited; log: " + node.log);
                            }
                        }
                        try {
                            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == nodes.size();
                        } catch (Exception notYet) {
                            return false;
                        }
                    });
        }
    }

    /** The PLAINTEXT listeners of every node. */
    public String bootstrapServers() {
        return nodes.stream().map(node -> node.address).collect(Collectors.joining(","));
    }

    /** The SCRAM listener of {@link #startWithScram}, or the TLS listener of {@link #startWithTls}. */
    public String secureBootstrapServers() {
        return nodes.stream().map(node -> node.secureAddress).collect(Collectors.joining(","));
    }

    /** Stops every node the way a crash or a power cut would: SIGKILL, no controlled shutdown. */
    public void kill() throws InterruptedException {
        for (Node node : nodes) {
            node.jvm.kill();
        }
    }

    /** SIGKILLs one node (ids count from 1), as {@link #kill()} does all. */
    public void kill(int nodeId) throws InterruptedException {
        nodes.get(nodeId - 1).jvm.kill();
    }

    /**
     * SIGKILLs what still runs: the data is thrown away, and a controlled shutdown of a cluster's last nodes would
     * wait for a controller quorum the others' shutdown has removed.
     */
    @Override
    public void close() throws InterruptedException {
        for (Node node : nodes) {
            if (node.isAlive()) {
                node.jvm.kill();
            }
        }
    }
}
