package io.github.plantwatch.anomaly.support;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The service as operators run it: {@code io.github.plantwatch.anomaly.Main} in its own JVM, configured only through
 * the environment variables application.properties reads. It can be killed (SIGKILL), stopped (SIGTERM) and started
 * again with the same configuration, HTTP port and model directory.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(3);
    /**
     * A consumer session of 10 s instead of Kafka's 45: a consumer that died or gave up without leaving its group
     * (SIGKILL, broker away) keeps its partitions from its replacement until the broker expires it, so a test that
     * makes one recovers sooner. Heartbeats still go every 3 s.
     */
    public static final Map<String, String> SHORT_CONSUMER_SESSION = Map.of(
            "KAFKA_SESSION_TIMEOUT_MS", "10000");

    private final Map<String, String> environment;
    private final List<String> jvmFlags;
    private final ServiceApi api;
    private final Path log;
    private ChildJvm jvm;

    private ServiceProcess(Path log, Map<String, String> environment, List<String> jvmFlags, int port) {
        this.log = log;
        this.environment = environment;
        this.jvmFlags = jvmFlags;
        this.api = new ServiceApi("127.0.0.1", port);
    }

    /** The environment of a service on these topics, with its own model directory; add to it before starting. */
    public static Map<String, String> environment(String bootstrapServers, RunningService.Topics topics,
                                                  Path modelDir) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("KAFKA_TOPIC_INPUT_FEATURES", topics.input());
        env.put("KAFKA_TOPIC_OUTPUT_ANOMALIES", topics.output());
        env.put("KAFKA_TOPIC_DEAD_LETTER", topics.deadLetter());
        env.put("KAFKA_TOPIC_MODELS", topics.models());
        env.put("KAFKA_TOPIC_STREAM_STATE", topics.streamState());
        env.put("KAFKA_TOPIC_EPISODES", topics.episodes());
        env.put("KAFKA_TOPIC_FEEDBACK", topics.feedback());
        env.put("KAFKA_TOPIC_MAINTENANCE", topics.maintenance());
        env.put("KAFKA_CONSUMER_GROUP", topics.group());
        env.put("KAFKA_CREATE_TOPICS", "true");
        env.put("MODEL_DIR", modelDir.toString());
        env.put("OMP_NUM_THREADS", "1");
        // whatever the developer's shell holds must not change what the test runs
        for (String inherited : List.of("KAFKA_EMBEDDED", "TRAINING_API_TOKEN", "TRAINING_API_TOKEN_FILE",
                "CAMEL_MAIN_ROUTESINCLUDEPATTERN", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM",
                "KAFKA_SASL_JAAS_CONFIG")) {
            env.putIfAbsent(inherited, null);
        }
        return env;
    }

    /** Starts the service and waits until its HTTP API answers. */
    public static ServiceProcess start(String name, Map<String, String> environment, String... extraJvmFlags)
            throws Exception {
        ServiceProcess service = launch(name, environment, extraJvmFlags);
        service.awaitUp();
        return service;
    }

    /** Starts the service without waiting for it (see {@link #awaitUp()}), e.g. to watch it from its first moment. */
    public static ServiceProcess launch(String name, Map<String, String> environment, String... extraJvmFlags)
            throws Exception {
        int port = FreePorts.next();
        Map<String, String> env = new HashMap<>(environment);
        env.put("HTTP_PORT", String.valueOf(port));
        env.putIfAbsent("MANAGEMENT_PORT", String.valueOf(FreePorts.next())); // several services may run at once
        List<String> flags = new ArrayList<>(ChildJvm.SERVICE_FLAGS);
        flags.add("-Xmx768m");
        flags.addAll(List.of(extraJvmFlags)); // the last -Xmx wins
        ServiceProcess service = new ServiceProcess(ChildJvm.newLogFile(name), env, flags, port);
        service.startJvm();
        return service;
    }

    /** Starts the service and trains it with {@link SensorData#quickTrainingRequest()}, so it is consuming. */
    public static ServiceProcess startTrained(String name, Map<String, String> environment, String... extraJvmFlags)
            throws Exception {
        ServiceProcess service = start(name, environment, extraJvmFlags);
        HttpResponse<String> trained = service.api.train(SensorData.quickTrainingRequest());
        if (trained.statusCode() != 200) {
            service.close();
            throw new IllegalStateException("training failed: " + trained.body());
        }
        return service;
    }

    /**
     * Starts a service that is expected not to come up (e.g. it cannot log in to Kafka), waits for its JVM to exit
     * and returns what it logged.
     */
    public static String startExpectingExit(String name, Map<String, String> environment) throws Exception {
        Path log = ChildJvm.newLogFile(name);
        Map<String, String> env = new HashMap<>(environment);
        env.put("HTTP_PORT", String.valueOf(FreePorts.next()));
        env.putIfAbsent("MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
        ChildJvm.start(log, ChildJvm.SERVICE_FLAGS, "io.github.plantwatch.anomaly.Main", List.of(), env)
                .awaitExit(STARTUP.toSeconds());
        return Files.readString(log);
    }

    private void startJvm() throws Exception {
        jvm = ChildJvm.start(log, jvmFlags, "io.github.plantwatch.anomaly.Main", List.of(), environment);
    }

    /** Waits until the HTTP API answers. */
    public void awaitUp() throws InterruptedException {
        try {
            api.awaitUp(STARTUP, jvm::isAlive);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; log: " + log, e);
        }
    }

    public ServiceApi api() {
        return api;
    }

    /** GET on the management server (health, metrics). */
    public java.net.http.HttpResponse<String> management(String path) throws java.io.IOException, InterruptedException {
        return new ServiceApi("127.0.0.1", Integer.parseInt(environment.get("MANAGEMENT_PORT"))).get(path);
    }

    /**
     * The consumer lag gauge ({@code anomaly_consumer_lag_records}) as the metrics endpoint shows it: -1 while the
     * service cannot read the group's offsets, NaN when the gauge is not there.
     */
    public double consumerLag() throws IOException, InterruptedException {
        for (String line : management("/observe/metrics").body().split("\n")) {
            if (line.startsWith("anomaly_consumer_lag_records")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    /** The running service's process id, e.g. for {@code jcmd}. */
    public long pid() {
        return jvm.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing in flight is finished or committed. */
    public void kill() throws InterruptedException {
        jvm.kill();
    }

    /** SIGTERM and wait for the JVM to exit: Camel's graceful shutdown runs. Returns the exit code. */
    public int terminate() throws InterruptedException {
        return jvm.terminate(90);
    }

    /** Starts the service again, same environment and port, after {@link #kill()} or {@link #terminate()}. */
    public void restart() throws Exception {
        if (jvm.isAlive()) {
            throw new IllegalStateException("still running: kill or terminate it first");
        }
        startJvm();
        awaitUp();
    }

    /** Peak resident set size (VmHWM) of the running service process, in bytes. */
    public long peakRssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(jvm.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** CPU time (user + system) the running service process has used so far, in seconds. */
    public double cpuSeconds() throws IOException {
        return ProcStat.cpuSeconds(Files.readString(Path.of("/proc", String.valueOf(jvm.pid()), "stat")));
    }

    /** Everything every run of this service has logged. */
    public String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (jvm != null && jvm.isAlive()) {
            jvm.kill();
        }
    }
}
