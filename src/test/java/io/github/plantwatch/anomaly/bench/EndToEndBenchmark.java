package io.github.plantwatch.anomaly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.kafka.EmbeddedKafka;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.ChildJvm;
import io.github.plantwatch.anomaly.support.FreePorts;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end benchmark on one machine (README "Performance", docs/performance.md): a real broker, models trained
 * over HTTP by a first service (which also warms the broker up on topics of its own), and Kafka's own
 * ProducerPerformance on the same broker. Then, for each load shape (number of assets): N seed-format messages
 * preloaded (a {@link GeneratedPlant}: about 1 % in faults of {@link GeneratedPlant#FAULT_RECORDS} records of an
 * asset); the bare at-least-once loop ({@link BareLoop}, no work) on them in a JVM of its own, the ceiling, and
 * again at the fixed rate on topics of its own, the latency ceiling; the service started cold on the persisted
 * models with all three detectors and its shipped defaults, as after a restart into a backlog; then a fixed-rate
 * phase for latency (the first shape also runs one while a training runs). Prints one table, a column per shape.
 * <p>
 * Options (system properties): bench.records (200000), bench.partitions (2), bench.assets (500,20: the shapes),
 * bench.rate (2000 msg/s), bench.rate-seconds (20), bench.service-heap (1g), bench.service-jvm-options,
 * bench.aot-cache (false: see {@link #AOT_CACHE}).
 */
public final class EndToEndBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = Integer.getInteger("bench.records", 200_000);
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 2);
    private static final List<Integer> SHAPES = Arrays.stream(System.getProperty("bench.assets", "500,20").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    /** What the service's shipped default (KAFKA_CONSUMERS_COUNT 0) gives on this machine, for the bare loop. */
    private static final int CONSUMERS = io.github.plantwatch.anomaly.kafka.ConsumerThreads.forPartitions(PARTITIONS,
            Runtime.getRuntime().availableProcessors());
    private static final int RATE = Integer.getInteger("bench.rate", 2000);
    private static final int RATE_SECONDS = Integer.getInteger("bench.rate-seconds", 20);
    private static final String HEAP = System.getProperty("bench.service-heap", "1g");
    /** Extra JVM options for the service, space-separated, e.g. a flight recording for profiling. */
    /** The latency phase is also summed up without its first seconds, once the JIT has settled. */
    private static final long SETTLED_AFTER_MILLIS = 8_000;
    private static final String SERVICE_OPTIONS = System.getProperty("bench.service-jvm-options", "");
    /**
     * The measured service runs from the shaded jar (run {@code mvn package} first) with a JDK AOT cache (JEP
     * 483/515: classes loaded and linked, method profiles) recorded by the jar's {@code aot-training} command, as
     * the container image ships it. Off: the measured service starts cold.
     */
    private static final boolean AOT_CACHE = Boolean.getBoolean("bench.aot-cache");
    private static final Path SHADED_JAR = Path.of("target", "anomaly-detection-service.jar");
    private static final String INPUT = "extracted-features";
    private static final String OUTPUT = "anomalies-detected";
    private static final String DEAD_LETTER = "extracted-features.dlq";
    private static final String PRODUCER_PERFORMANCE = "producer-performance";
    private static final String EPISODES = "anomaly-episodes";
    private static final String BARE_OUTPUT = "bare-loop-output";

    /** One load shape's figures, a column of the table. */
    private record ShapeFigures(int assets, int anomalies, double throughput, double steady, double bareLoop,
                                CpuTimeline.PerMessage cpu, double bareLoopCpuPerMessage,
                                double bareLoopJitCpuPerMessage,
                                String detectorTimes, long flagged, Map<String, Long> openings, String retrainings,
                                double[] latency, double[] settledLatency, double[] bareLatency,
                                double[] bareSettledLatency, double[] trainingLatency,
                                String training, long peakHeap, long maxHeap, long rss) {
        long episodes() {
            return openings.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("anomaly-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String brokers = kafka.bootstrapServers();
            createTopics(brokers, List.of(new NewTopic(PRODUCER_PERFORMANCE, PARTITIONS, (short) 1)));
            SensorData data = new SensorData(11);
            byte[] sampleOutput = sampleOutputSize();
            System.out.printf("broker %s, %d records per shape, %d partitions, shapes (assets) %s%n", brokers, RECORDS,
                    PARTITIONS, SHAPES);

            Path models = work.resolve("warm-up").resolve("models");
            Training training = trainAndWarmUp(brokers, data, models);
            recordAotCache(work);

            double kafkaCeiling = producerPerformance(brokers, sampleOutput.length);
            System.out.printf("Kafka ProducerPerformance: %.0f records/s of %d bytes%n", kafkaCeiling,
                    sampleOutput.length);
            List<ShapeFigures> shapes = new ArrayList<>();
            for (int assets : SHAPES) {
                shapes.add(runShape(brokers, data, models, work, assets, sampleOutput.length, shapes.isEmpty()));
            }
            System.out.println();
            System.out.println(table(shapes, kafkaCeiling, sampleOutput.length, training,
                    (System.nanoTime() - started) / 1e9));
        }
    }

    /**
     * One load shape on topics of its own: preload, the bare loop on the backlog, the service (cold) on the same
     * backlog, then the fixed-rate phases.
     */
    private static ShapeFigures runShape(String brokers, SensorData data, Path models, Path work, int assets,
                                         int resultBytes, boolean withTraining) throws Exception {
        String prefix = "shape-" + assets + ".";
        createTopics(brokers, serviceTopics(prefix));
        int anomalies = preload(brokers, prefix + INPUT, RECORDS, data, assets);
        TopicReader.awaitRecords(brokers, prefix + INPUT, RECORDS, Duration.ofMinutes(5));
        awaitJitIdle(Duration.ofMinutes(1));
        System.out.printf("%d assets: preloaded %d records (%d anomalous); the bare loop on them...%n", assets,
                RECORDS, anomalies);
        double[] bareLoop = bareLoop(brokers, prefix, resultBytes);
        // a generator of its own: the shapes' backlogs stay the draws they were before this phase existed
        long[][] bareLatencies = bareLoopAtRate(brokers, prefix + "bare-loop.", new SensorData(13), assets,
                resultBytes);
        awaitJitIdle(Duration.ofMinutes(1));
        System.out.printf("%d assets: bare loop %.0f msg/s; starting the service on the backlog...%n", assets,
                bareLoop[0]);

        int managementPort = FreePorts.next();
        // watched from its launch: it consumes before its HTTP API answers
        try (ServiceProcess service = ServiceProcess.launch("benchmark-service-" + assets,
                serviceEnvironment(brokers, prefix, models, managementPort),
                serviceJvmOptions(aotOption("-XX:AOTCache=", work)).toArray(String[]::new));
             CpuTimeline cpu = CpuTimeline.start(service)) {
            service.awaitUp();
            TopicReader.awaitRecords(brokers, prefix + OUTPUT, RECORDS, Duration.ofMinutes(15));
            // Each result carries the time the broker appended it (LogAppendTime), whenever it is read: reading
            // them after the run keeps the benchmark's own consumer from competing with the service.
            long[] appended = readAll(brokers, prefix + OUTPUT, RECORDS, Duration.ofMinutes(5));
            // from the first record consumed (the service's status says when) to the last result acknowledged
            JsonNode backlogDone = JSON.readTree(service.api().get("/api/v1/anomalies/status").body());
            long first = Instant.parse(backlogDone.at("/pipeline/first_consumed_at").asText()).toEpochMilli();
            long last = appended[appended.length - 1];
            double throughput = RECORDS / ((last - first) / 1000.0);
            CpuTimeline.PerMessage cpuPerMessage = cpu.perMessage(first, last, RECORDS);
            long flagged = backlogDone.at("/pipeline/anomalous").asLong();
            Map<String, Long> openings = openedEpisodes(brokers, prefix + EPISODES);
            ServiceApi management = new ServiceApi("localhost", managementPort);
            String detectorTimes = detectorMicrosPerMessage(management);

            System.out.printf("%d assets: backlog done (%.0f msg/s); offering %d msg/s for %d s...%n", assets,
                    throughput, RATE, RATE_SECONDS);
            long[][] fixedRate = fixedRate(brokers, prefix, data, assets, RECORDS);
            double[] latency = percentiles(fixedRate, 0, Long.MAX_VALUE);
            double[] settledLatency = settled(fixedRate);
            double[] trainingLatency = null;
            String training = null;
            if (withTraining) {
                System.out.printf("offering %d msg/s for %d s while a 2,000-row training runs...%n", RATE,
                        RATE_SECONDS);
                var job = service.api().post("/api/v1/anomalies/train", SensorData.trainingRequest(
                        data.healthyRows(2000), "\"asset_id\": \"NOT-STREAMING\""));
                long[][] duringTraining = fixedRate(brokers, prefix, data, assets, RECORDS + RATE * RATE_SECONDS);
                JsonNode done = JSON.readTree(service.api().get(job.headers().firstValue("Location").orElseThrow())
                        .body());
                long trainingFrom = Instant.parse(done.get("started_at").asText()).toEpochMilli();
                long trainingTo = done.has("finished_at") ? Instant.parse(done.get("finished_at").asText())
                        .toEpochMilli() : Long.MAX_VALUE;
                trainingLatency = percentiles(duringTraining, trainingFrom, trainingTo);
                training = done.has("finished_at") ? String.format("%s in %.1f s", done.get("state").asText(),
                        (trainingTo - trainingFrom) / 1000.0) : done.get("state").asText();
            }
            // after the fixed-rate phases: jobs queued in the backlog start once the consumer has caught up
            String retrainings = retrainings(management);
            JsonNode status = JSON.readTree(service.api().get("/api/v1/anomalies/status").body());
            ShapeFigures figures = new ShapeFigures(assets, anomalies, throughput, throughput(appended, 0.25),
                    bareLoop[0], cpuPerMessage, bareLoop[1], bareLoop[2], detectorTimes, flagged, openings,
                    retrainings, latency, settledLatency,
                    percentiles(bareLatencies, 0, Long.MAX_VALUE), settled(bareLatencies), trainingLatency, training,
                    status.at("/jvm/heap_peak_bytes").asLong(), status.at("/jvm/heap_max_bytes").asLong(),
                    service.peakRssBytes());
            service.terminate(); // graceful, so a flight recording (bench.service-jvm-options) is written
            return figures;
        }
    }

    /**
     * {@link BareLoop} on the shape's backlog, in a JVM of its own with the service's consumer threads; returns its
     * throughput (first record consumed to last record appended), its CPU per message and its JIT compilers' (us).
     */
    private static double[] bareLoop(String brokers, String prefix, int resultBytes) throws Exception {
        ChildJvm loop = ChildJvm.start(ChildJvm.newLogFile("benchmark-bare-loop"), ChildJvm.SERVICE_FLAGS,
                BareLoop.class.getName(), List.of(brokers, prefix + INPUT, prefix + BARE_OUTPUT,
                        "bare-loop-" + UUID.randomUUID(), String.valueOf(CONSUMERS), String.valueOf(resultBytes),
                        String.valueOf(RECORDS)), Map.of());
        if (loop.awaitExit(600) != 0) {
            throw new IllegalStateException("the bare loop failed; see " + loop.logFile());
        }
        Matcher summary = Pattern.compile("BARE_LOOP first_consumed_ms=(\\d+) cpu_seconds=(\\S+) jit_seconds=(\\S+)")
                .matcher(Files.readString(loop.logFile()));
        if (!summary.find()) {
            throw new IllegalStateException("the bare loop printed no summary; see " + loop.logFile());
        }
        long firstConsumed = Long.parseLong(summary.group(1));
        long[] appended = readAll(brokers, prefix + BARE_OUTPUT, RECORDS, Duration.ofMinutes(5));
        return new double[]{RECORDS / ((appended[appended.length - 1] - firstConsumed) / 1000.0),
                Double.parseDouble(summary.group(2)) / RECORDS * 1e6,
                Double.parseDouble(summary.group(3)) / RECORDS * 1e6};
    }

    /**
     * {@link BareLoop} at the fixed rate, on topics of its own: the latency of the same at-least-once loop with no
     * work in it, on this machine and broker. The rate starts once the loop's consumers have their partitions.
     */
    private static long[][] bareLoopAtRate(String brokers, String prefix, SensorData data, int assets,
                                           int resultBytes) throws Exception {
        createTopics(brokers, serviceTopics(prefix));
        String group = "bare-loop-" + UUID.randomUUID();
        ChildJvm loop = ChildJvm.start(ChildJvm.newLogFile("benchmark-bare-loop-at-rate"), ChildJvm.SERVICE_FLAGS,
                BareLoop.class.getName(), List.of(brokers, prefix + INPUT, prefix + OUTPUT, group,
                        String.valueOf(CONSUMERS), String.valueOf(resultBytes), String.valueOf(RATE * RATE_SECONDS)),
                Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Await.until("the bare loop's consumers hold partitions; see " + loop.logFile(), Duration.ofMinutes(1),
                    () -> admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                            .filter(member -> !member.assignment().topicPartitions().isEmpty()).count()
                            >= CONSUMERS);
        }
        long[][] latencies = fixedRate(brokers, prefix, data, assets, RECORDS);
        if (loop.awaitExit(60) != 0) {
            throw new IllegalStateException("the bare loop failed at the fixed rate; see " + loop.logFile());
        }
        return latencies;
    }

    private static String table(List<ShapeFigures> shapes, double kafkaCeiling, int resultBytes, Training training,
                                double benchmarkSeconds) {
        List<String> rows = new ArrayList<>();
        StringBuilder header = new StringBuilder("| figure |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (ShapeFigures shape : shapes) {
            header.append(" ").append(shape.assets()).append(" assets |");
            rule.append(" --- |");
        }
        rows.add(header.toString());
        rows.add(rule.toString());
        rows.add(row(shapes, "records (in faults of " + GeneratedPlant.FAULT_RECORDS
                        + " records), partitions, consumer threads",
                s -> String.format("%d (%d), %d, %d", RECORDS, s.anomalies(), PARTITIONS, CONSUMERS)));
        rows.add(row(shapes, "**service / bare loop** (whole backlog, cold start included)", s -> String.format(
                "**%.2f**", s.throughput() / s.bareLoop())));
        rows.add(row(shapes, "service, all three detectors: whole backlog / last 75 % of the results", s ->
                String.format("%.0f / %.0f msg/s", s.throughput(), s.steady())));
        rows.add(row(shapes, "bare at-least-once loop (BareLoop), same broker", s -> String.format("%.0f msg/s",
                s.bareLoop())));
        rows.add(row(shapes, "service / Kafka ProducerPerformance (" + String.format("%.0f records/s of %d bytes",
                kafkaCeiling, resultBytes) + ")", s -> String.format("%.2f", s.throughput() / kafkaCeiling)));
        rows.add(row(shapes, "**service CPU per message** (backlog)", s -> String.format("**%.1f us** (%.2f cores busy)",
                s.cpu().service(), s.cpu().service() * s.throughput() / 1e6)));
        rows.add(row(shapes, "of which the JIT's compiler threads / the collector's threads / the rest", s ->
                String.format("%.1f / %.1f / %.1f us", s.cpu().jit(), s.cpu().collector(),
                        s.cpu().service() - s.cpu().jit() - s.cpu().collector())));
        rows.add(row(shapes, "bare loop (of which its JIT) / broker CPU per message", s -> String.format(
                "%.1f (%.1f) / %.1f us", s.bareLoopCpuPerMessage(), s.bareLoopJitCpuPerMessage(),
                s.cpu().broker())));
        rows.add(row(shapes, "detectors' time per message (wall clock, batched calls)", ShapeFigures::detectorTimes));
        rows.add(row(shapes, "flagged as anomalies / **episodes opened** (backlog; floor: episodes <= 2 % of flagged)",
                s -> String.format("%d / **%d (%.1f %%)**", s.flagged(), s.episodes(),
                        100.0 * s.episodes() / Math.max(1, s.flagged()))));
        rows.add(row(shapes, "episodes by the criticality they opened with (medium, high: by persistence; critical: "
                + "a record far out on its own)", s -> s.openings().toString()));
        rows.add(row(shapes, "automatic retrainings by outcome (backlog and latency phase)", ShapeFigures::retrainings));
        rows.add(row(shapes, "**latency at " + RATE + " msg/s**, p50 / p99 / p99.9 / max", s -> String.format(
                "%.0f / **%.0f** / %.0f / %.0f ms", s.latency()[0], s.latency()[1], s.latency()[2], s.latency()[3])));
        rows.add(row(shapes, "the same from the phase's " + (SETTLED_AFTER_MILLIS / 1000 + 1)
                + "th second (the JIT settled)", s -> millis(s.settledLatency())));
        rows.add(row(shapes, "the same while a 2,000-row training runs", s -> s.trainingLatency() == null ? "-"
                : millis(s.trainingLatency()) + " (training " + s.training() + ")"));
        rows.add(row(shapes, "the bare loop at " + RATE + " msg/s (BareLoop, same broker): whole phase; from the "
                + (SETTLED_AFTER_MILLIS / 1000 + 1) + "th second", s -> millis(s.bareLatency()) + "; "
                + millis(s.bareSettledLatency())));
        rows.add(row(shapes, "service heap peak used / max; peak RSS", s -> mib(s.peakHeap()) + " / "
                + mib(s.maxHeap()) + "; " + mib(s.rss())));
        rows.add(row(shapes, "machine", s -> Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + (AOT_CACHE ? ", AOT cache" : ", cold start")));
        rows.add(row(shapes, "training of the first service (2,000 rows, shipped settings)", s -> String.format(
                "%.1f s, heap peak %s", training.seconds(), mib(training.peakHeapBytes()))));
        rows.add(row(shapes, "benchmark's wall time", s -> String.format("%.0f s", benchmarkSeconds)));
        return String.join("\n", rows);
    }

    private static String row(List<ShapeFigures> shapes, String name,
                              java.util.function.Function<ShapeFigures, String> value) {
        StringBuilder row = new StringBuilder("| ").append(name).append(" |");
        for (ShapeFigures shape : shapes) {
            row.append(" ").append(value.apply(shape)).append(" |");
        }
        return row.toString();
    }

    /** What the first service's training took: wall time, and its heap's peak over training and scoring. */
    private record Training(double seconds, long peakHeapBytes) {
    }

    /**
     * The order: train the models, preload, then start the service. A first service (its own JVM and
     * topics) is trained over HTTP, which persists the model set, then scores a fifth of the records on its own
     * topics and is stopped: this also warms the broker up (one in service has long compiled its hot paths; a
     * freshly started one's JIT compiler would take a core from the machine during the measurements), and the
     * broker's JIT compiler is left to finish. The measured service starts cold on the persisted models, as a
     * service restarted into a backlog does.
     */
    private static Training trainAndWarmUp(String brokers, SensorData data, Path models) throws Exception {
        String prefix = "warm-up.";
        createTopics(brokers, serviceTopics(prefix));
        int records = RECORDS / 10;
        preload(brokers, prefix + INPUT, records, data, SHAPES.getFirst());
        Training training;
        try (ServiceProcess service = ServiceProcess.start("benchmark-warm-up",
                serviceEnvironment(brokers, prefix, models, FreePorts.next()),
                "-Xmx" + HEAP)) {
            long start = System.nanoTime();
            train(service, data);
            double seconds = (System.nanoTime() - start) / 1e9;
            readAll(brokers, prefix + OUTPUT, records, Duration.ofMinutes(10));
            JsonNode status = JSON.readTree(service.api().get("/api/v1/anomalies/status").body());
            training = new Training(seconds, status.at("/jvm/heap_peak_bytes").asLong());
            service.terminate();
        }
        awaitJitIdle(Duration.ofMinutes(2));
        System.out.printf("trained in %.1f s; broker warmed up: that service scored %d records on %s* topics%n",
                training.seconds(), records, prefix);
        return training;
    }

    /**
     * With {@link #AOT_CACHE}: records the cache as the container image does, by running the jar's
     * {@code aot-training} command (its own broker and service, simulated machines) with {@code -XX:AOTCacheOutput}.
     */
    private static void recordAotCache(Path work) throws Exception {
        if (!AOT_CACHE) {
            return;
        }
        List<String> flags = new ArrayList<>(ChildJvm.SERVICE_FLAGS);
        flags.addAll(aotOption("-XX:AOTCacheOutput=", work));
        ChildJvm training = ChildJvm.start(ChildJvm.newLogFile("benchmark-aot-training"), flags,
                "io.github.plantwatch.anomaly.Main", List.of("aot-training"), Map.of(
                        "HTTP_PORT", String.valueOf(FreePorts.next()),
                        "MANAGEMENT_PORT", String.valueOf(FreePorts.next())));
        if (training.awaitExit(600) != 0 || !Files.exists(aotCache(work))) {
            throw new IllegalStateException("aot-training wrote no AOT cache; see " + training.logFile());
        }
        System.out.println("AOT cache recorded by the aot-training command");
    }

    /** With {@link #AOT_CACHE}: the shaded jar as class path (an AOT cache takes jars only) and the cache option. */
    private static List<String> aotOption(String option, Path work) {
        if (!AOT_CACHE) {
            return List.of();
        }
        if (!Files.exists(SHADED_JAR)) {
            throw new IllegalStateException(SHADED_JAR + " is missing: run mvn -DskipTests package first");
        }
        return List.of("-cp", SHADED_JAR.toString(), option + aotCache(work));
    }

    private static Path aotCache(Path work) {
        return work.resolve("service.aot");
    }

    /** Waits until this JVM's JIT compilers have compiled nothing for a second. */
    private static void awaitJitIdle(Duration timeout) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long deadline = System.nanoTime() + timeout.toNanos();
        long previous = -1;
        while (System.nanoTime() < deadline) {
            long total = jit.getTotalCompilationTime();
            if (total == previous) {
                return;
            }
            previous = total;
            Thread.sleep(1000);
        }
    }

    private static Map<String, String> serviceEnvironment(String brokers, String topicPrefix, Path models,
                                                          int managementPort) {
        return Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", brokers),
                Map.entry("KAFKA_TOPIC_INPUT_FEATURES", topicPrefix + INPUT),
                Map.entry("KAFKA_TOPIC_OUTPUT_ANOMALIES", topicPrefix + OUTPUT),
                Map.entry("KAFKA_TOPIC_DEAD_LETTER", topicPrefix + DEAD_LETTER),
                Map.entry("KAFKA_TOPIC_STREAM_STATE", topicPrefix + "stream-state"),
                Map.entry("KAFKA_TOPIC_EPISODES", topicPrefix + EPISODES),
                Map.entry("KAFKA_CREATE_TOPICS", "true"), // the compacted model log and stream-state changelog
                Map.entry("MODEL_DIR", models.toString()),
                Map.entry("MANAGEMENT_PORT", String.valueOf(managementPort)),
                Map.entry("LOG_LEVEL", "ERROR"));
    }

    private static void train(ServiceProcess service, SensorData data) throws Exception {
        var trained = service.api().post("/api/v1/anomalies/train?wait=true",
                SensorData.trainingRequest(data.healthyRows(2000), "")); // shipped settings (LSTM 20 epochs)
        if (trained.statusCode() != 200) {
            throw new IllegalStateException("training failed: " + trained.body());
        }
    }

    private static List<String> serviceJvmOptions(List<String> aot) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + HEAP));
        options.addAll(aot);
        if (!SERVICE_OPTIONS.isBlank()) {
            options.addAll(List.of(SERVICE_OPTIONS.trim().split("\\s+")));
        }
        return options;
    }

    private static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / 1048576.0);
    }

    private static void createTopics(String brokers, List<NewTopic> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(topics).all().get();
        }
    }

    /** The service's input, output and dead-letter topics, their names prefixed. */
    private static List<NewTopic> serviceTopics(String prefix) {
        return List.of(
                new NewTopic(prefix + INPUT, PARTITIONS, (short) 1),
                // the broker's append time on results = when the service's write was acknowledged
                new NewTopic(prefix + OUTPUT, PARTITIONS, (short) 1)
                        .configs(Map.of("message.timestamp.type", "LogAppendTime")),
                new NewTopic(prefix + DEAD_LETTER, PARTITIONS, (short) 1));
    }

    /** A result of typical size, for ProducerPerformance's record size. */
    private static byte[] sampleOutputSize() {
        String sample = "{\"asset_id\":\"ASSET-0001\",\"sensor_id\":\"VIB-1\",\"timestamp\":\"2026-01-01T12:00:00.000Z\","
                + "\"scores\":[{\"score\":0.4312345678901234,\"model_name\":\"isolation_forest\",\"threshold\":0.8389550009700658,\"is_anomaly\":false},"
                + "{\"score\":0.6777255679802507,\"model_name\":\"one_class_svm\",\"threshold\":0.8252491258632232,\"is_anomaly\":false},"
                + "{\"score\":0.5123456789012345,\"model_name\":\"lstm_autoencoder\",\"threshold\":0.7959637336501771,\"is_anomaly\":false}],"
                + "\"final_score\":0.534701441920576,\"is_anomaly\":false,\"criticality\":\"low\",\"features\":{\"rms\":0.512345,"
                + "\"kurtosis\":3.012345,\"crest_factor\":1.412345,\"variance\":0.262345,\"mean\":0.001234},\"metadata\":{\"line\":\"A\"},\"model_version\":1}";
        return sample.getBytes(StandardCharsets.UTF_8);
    }

    private static double producerPerformance(String brokers, int recordSize) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", PRODUCER_PERFORMANCE, "--num-records", "1000000", "--record-size",
                String.valueOf(recordSize), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + brokers, "acks=all")
                .redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.contains("records sent")) {
                    last = line;
                }
            }
        }
        process.waitFor(5, TimeUnit.MINUTES);
        if (last == null) {
            throw new IllegalStateException("ProducerPerformance printed no summary");
        }
        // "1000000 records sent, 250000.0 records/sec (143.05 MB/sec), ..."
        String rate = last.substring(last.indexOf("records sent, ") + 14, last.indexOf(" records/sec"));
        return Double.parseDouble(rate);
    }

    /**
     * The preload's producer: one request in flight, retried for minutes, without idempotence. The broker runs in
     * this JVM; with the idempotent default, a request that timed out while it was busy made the producer reset its
     * sequence numbers and the broker refused the rest of the preload (OutOfOrderSequenceException).
     */
    private static KafkaProducer<byte[], byte[]> producer(String brokers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The records of a {@link GeneratedPlant} of that many assets; returns how many lie in faults. */
    private static int preload(String brokers, String topic, int records, SensorData data, int assets) {
        int anomalies = 0;
        GeneratedPlant plant = new GeneratedPlant(data, assets);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(brokers)) {
            for (int i = 0; i < records; i++) {
                GeneratedPlant.Reading reading = plant.next(i);
                anomalies += reading.fault() ? 1 : 0;
                producer.send(new ProducerRecord<>(topic, reading.assetId().getBytes(StandardCharsets.UTF_8),
                        SensorData.message(reading.assetId(), "VIB-1", reading.values(), "2026-01-01T00:00:00Z")
                                .getBytes(StandardCharsets.UTF_8)), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the preload of " + topic + " failed (is the machine overloaded?)",
                    failure.get());
        }
        return anomalies;
    }

    /** Waits for {@code expected} records on the topic; returns their timestamps (ms), ascending. */
    private static long[] readAll(String brokers, String topic, int expected, Duration timeout) {
        long[] appended = new long[expected];
        int seen = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(brokers)) {
            consumer.subscribe(List.of(topic));
            while (seen < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (seen < expected) {
                        appended[seen++] = record.timestamp();
                    }
                }
            }
        }
        if (seen < expected) {
            throw new IllegalStateException("only " + seen + " of " + expected + " records on " + topic + " after "
                    + timeout);
        }
        Arrays.sort(appended);
        return appended;
    }

    /**
     * The episodes the measured service opened, by the criticality of the record that opened each: "opened" events on
     * its episodes topic, read until it is quiet.
     */
    private static Map<String, Long> openedEpisodes(String brokers, String topic) throws Exception {
        Map<String, Long> opened = new java.util.TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(brokers)) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    quietSince = System.nanoTime();
                    JsonNode event = JSON.readTree(record.value());
                    if ("opened".equals(event.path("event").asText())) {
                        opened.merge(event.path("peak_criticality").asText(), 1L, Long::sum);
                    }
                }
            }
        }
        return opened;
    }

    /** Results per second between the {@code from} fraction of the results and the last one. */
    private static double throughput(long[] appended, double from) {
        int start = (int) (from * appended.length);
        return (appended.length - start) / ((appended[appended.length - 1] - appended[start]) / 1000.0);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String brokers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Automatic retraining jobs by outcome, from the service's own metrics. */
    private static String retrainings(ServiceApi management) throws Exception {
        Map<String, Double> outcomes = metricByTag(management, "anomaly_retraining_total", "outcome");
        StringBuilder text = new StringBuilder();
        outcomes.forEach((outcome, count) -> text.append(text.isEmpty() ? "" : ", ")
                .append(String.format("%s %.0f", outcome, count)));
        return text.isEmpty() ? "none" : text.toString();
    }

    /** A metric's values by one of its tags, from the service's Prometheus page. */
    private static Map<String, Double> metricByTag(ServiceApi management, String metric, String tag)
            throws Exception {
        Map<String, Double> values = new TreeMap<>();
        Pattern line = Pattern.compile("^" + metric + "\\{.*" + tag + "=\"([a-z_]+)\".*} (\\S+)$");
        for (String text : management.get("/observe/metrics").body().split("\n")) {
            Matcher matcher = line.matcher(text);
            if (matcher.matches()) {
                values.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
        }
        return values;
    }

    /** Each detector's scoring time over the backlog divided by its messages, from the service's own metrics. */
    private static String detectorMicrosPerMessage(ServiceApi management) throws Exception {
        StringBuilder text = new StringBuilder();
        metricByTag(management, "anomaly_scoring_seconds_sum", "model").forEach((model, total) -> text.append(
                text.isEmpty() ? "" : ", ").append(String.format("%s %.1f us", model, total / RECORDS * 1e6)));
        return text.toString();
    }

    /**
     * Offers RATE msg/s for RATE_SECONDS; each message's timestamp field is its send time, so each result's
     * latency is its broker append time minus that. Messages go on with each asset's healthy series where the
     * messages before left it ({@code from}: how many went before, round-robin over the assets, as in the backlog),
     * so the phase measures the verdicts of a plant running on, not of series broken at every record. Returns each
     * result's send time and latency, in ms.
     */
    private static long[][] fixedRate(String brokers, String prefix, SensorData data, int assets, int from)
            throws Exception {
        int total = RATE * RATE_SECONDS;
        List<long[]> latencies = new ArrayList<>(total);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(brokers);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.LINGER_MS_CONFIG, 0),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(prefix + OUTPUT, p));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Thread sender = Thread.ofPlatform().start(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    // parked, not spinning: a spinning sender took one of the machine's two cores from the service
                    long due = start + i * 1_000_000_000L / RATE;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    String asset = GeneratedPlant.assetId((from + i) % assets);
                    producer.send(new ProducerRecord<>(prefix + INPUT, asset.getBytes(StandardCharsets.UTF_8),
                            SensorData.message(asset, "VIB-1", data.healthy((from + i) / assets),
                                    Instant.now().toString())
                                    .getBytes(StandardCharsets.UTF_8)));
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RATE_SECONDS + 60L);
            while (latencies.size() < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Instant sent = Instant.parse(JSON.readTree(record.value()).get("timestamp").asText());
                    latencies.add(new long[]{sent.toEpochMilli(), record.timestamp() - sent.toEpochMilli()});
                }
            }
            sender.join();
        }
        if (latencies.size() < total) {
            throw new IllegalStateException("only " + latencies.size() + " of " + total + " fixed-rate results");
        }
        return latencies.toArray(long[][]::new);
    }

    /** Latency percentiles as the table gives them: "p50 / p99 / p99.9 / max ms". */
    private static String millis(double[] percentiles) {
        return String.format("%.0f / %.0f / %.0f / %.0f ms", percentiles[0], percentiles[1], percentiles[2],
                percentiles[3]);
    }

    /**
     * The percentiles of a fixed-rate phase without its first seconds: they carry the JIT's compiling of what the
     * backlog did not use (performance.md).
     */
    private static double[] settled(long[][] latencies) {
        long firstSent = Arrays.stream(latencies).mapToLong(l -> l[0]).min().orElse(0);
        return percentiles(latencies, firstSent + SETTLED_AFTER_MILLIS, Long.MAX_VALUE);
    }

    /** p50, p99, p99.9 and max latency of the results sent in [from, to] (epoch ms). */
    private static double[] percentiles(long[][] latencies, long from, long to) {
        long[] sorted = Arrays.stream(latencies).filter(l -> l[0] >= from && l[0] <= to)
                .mapToLong(l -> l[1]).sorted().toArray();
        if (sorted.length == 0) {
            return new double[]{Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[]{percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999),
                sorted[sorted.length - 1]};
    }

    private static double percentile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    private EndToEndBenchmark() {
    }

}
