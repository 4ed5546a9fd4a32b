package io.github.plantwatch.anomaly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.HostileRecords;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.StandaloneKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The soak run of issue 14 (README "Reliability", docs/reliability.md), not part of the test suite: a standalone
 * broker in its own JVM and the service in its own (shipped settings, {@value #SERVICE_HEAP} heap, trained over HTTP
 * at the start), then {@value #RATE} msg/s for {@code soak.minutes} minutes over {@value #STREAMS} streams (asset x
 * sensor), 1 record in {@value #HOSTILE_EVERY} a hostile one from {@link HostileRecords}; retrained over HTTP at a
 * third and two thirds of the run, the broker SIGKILLed and started again on its port and data at half of it (the
 * service keeps running). It prints the service's heap after every collection as it happens and a line a minute,
 * then accounts for every record (lost, duplicates, each hostile record's dead letter and its type), the latency
 * per minute, and ends with one line: {@code SOAK PASS|FAIL ...}.
 * <p>
 * The heap is judged flat when the median heap after a full collection over the last sixth of the run is no more
 * than 10 % ({@link #HEAP_GROWTH_ALLOWED}) above that of the second sixth (for 30 minutes: minutes 25-30 against 5-10;
 * the first five are warm-up: JIT, the streams' windows filling). A full collection is asked for every twelfth of
 * the run ({@link #fullCollection}), so each sixth has two; the median after any collection is printed too.
 */
public final class Soak {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MINUTES = Integer.getInteger("soak.minutes", 30);
    private static final int RATE = 2000;
    private static final int STREAMS = 10_000;
    private static final int SENSORS_PER_ASSET = 10;
    private static final int HOSTILE_EVERY = 100;
    /** Valid records with a machine's fault in them, so episodes open and close as in service. */
    private static final double FAULTY_SHARE = 0.001;
    private static final int PARTITIONS = 2;
    private static final String SERVICE_HEAP = "1g";
    /** The service's batches hold up to KAFKA_MAX_POLL_RECORDS (500) records: the broker's restart may make it read
     * a batch per partition again. */
    private static final int DUPLICATES_ALLOWED = PARTITIONS * 500;
    private static final double HEAP_GROWTH_ALLOWED = 0.10;
    /** Full collections asked for in the run, evenly spaced: two in each sixth. */
    private static final int FULL_COLLECTIONS = 12;
    /** The ones that take a class histogram: the last of the second sixth, and the last but one of the run. */
    private static final List<Integer> HISTOGRAM_TICKS = List.of(3, 11);
    /** The hostile corpus's 5 MB record must reach the service (Kafka's default record limit is 1 MB). */
    private static final int INPUT_RECORD_LIMIT = 8 * 1024 * 1024;
    /** Latencies are counted per millisecond up to this; longer ones in the last bucket. */
    private static final int LATENCY_CAP_MILLIS = 300_000;

    public static void main(String[] args) throws Exception {
        // this program's own Kafka clients warn every second while the broker is down; the soak reports the outage
        Configurator.setLevel("org.apache.kafka", Level.ERROR);
        Path work = Files.createTempDirectory("anomaly-soak");
        RunningService.Topics topics = RunningService.Topics.unique("soak");
        List<HostileRecords.Hostile> corpus = HostileRecords.corpus();
        int total = RATE * 60 * MINUTES;
        try (StandaloneKafka kafka = StandaloneKafka.start(work.resolve("kafka"))) {
            String brokers = kafka.bootstrapServers();
            createTopics(brokers, topics);
            Map<String, String> env = ServiceProcess.environment(brokers, topics, work.resolve("models"));
            env.put("KAFKA_CONSUMERS_COUNT", String.valueOf(PARTITIONS));
            Path gcFile = work.resolve("service-gc.log");
            System.out.printf("soak: %d minutes at %d msg/s over %d streams, 1 in %d hostile (%d kinds); broker %s;"
                            + " service heap %s, GC log %s%n", MINUTES, RATE, STREAMS, HOSTILE_EVERY, corpus.size(),
                    brokers, SERVICE_HEAP, gcFile);
            try (ServiceProcess service = ServiceProcess.start("soak-service", env, "-Xmx" + SERVICE_HEAP,
                    GcLog.jvmOption(gcFile))) {
                train(service, "initial training", 11);
                long start = System.currentTimeMillis();
                try (GcLog gc = GcLog.follow(gcFile, collection -> printCollection(collection, start));
                     FeatureStream stream = FeatureStream.start(brokers, topics.input(), total, RATE,
                             plan(corpus))) {
                    List<ClassHistogram> histograms = new CopyOnWriteArrayList<>();
                    runEvents(service, kafka, stream, gc, work, histograms, start);
                    List<FeatureStream.Sent> sent = stream.awaitAcknowledged();
                    System.out.printf("all %d records sent and acknowledged at %s; waiting for the service to catch"
                            + " up...%n", total, clock(System.currentTimeMillis(), start));
                    DeliveryAudit.awaitCaughtUp(brokers, topics, Duration.ofMinutes(10));
                    Audit audit = audit(brokers, topics, sent, corpus, start);
                    JsonNode status = JSON.readTree(service.api().get(ServiceApi.STATUS).body());
                    report(audit, gc.collections(), histograms, start, service, status);
                }
            }
        } finally {
            // a 30-minute run leaves about 9 GB of topics; the GC log and the class histograms are kept
            try (Stream<Path> broker = Files.walk(work.resolve("kafka"))) {
                broker.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            System.out.println("GC log and class histograms kept in " + work);
        }
    }

    /** Input (taking the 5 MB hostile record), output (broker append time = when the result was acknowledged), DLQ. */
    private static void createTopics(String brokers, RunningService.Topics topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(
                    new NewTopic(topics.input(), PARTITIONS, (short) 1).configs(Map.of(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(INPUT_RECORD_LIMIT))),
                    new NewTopic(topics.output(), PARTITIONS, (short) 1).configs(Map.of(
                            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")),
                    new NewTopic(topics.deadLetter(), PARTITIONS, (short) 1))).all().get();
        }
    }

    /** 2,000 rows of a healthy machine, shipped training settings; each training draws other rows. */
    private static void train(ServiceProcess service, String what, long seed) throws Exception {
        long begin = System.nanoTime();
        HttpResponse<String> trained = service.api().train(SensorData.trainingRequest(
                new SensorData(seed).healthyRows(2000), ""));
        if (trained.statusCode() != 200) {
            throw new IllegalStateException(what + " failed: " + trained.statusCode() + " " + trained.body());
        }
        System.out.printf("%s: model version %d in service after %.1f s%n", what,
                JSON.readTree(trained.body()).get("model_version").asLong(), (System.nanoTime() - begin) / 1e9);
    }

    /**
     * Valid records go round the streams in turn, each stream a healthy machine's series (with rare faults); every
     * {@value #HOSTILE_EVERY}th record is the next kind of the hostile corpus, keyed like the valid record after it.
     * Each valid record's timestamp is its send time, so its result's append time minus it is its latency.
     */
    private static FeatureStream.Plan plan(List<HostileRecords.Hostile> corpus) {
        SensorData data = new SensorData(11);
        Random faults = new Random(7);
        return seq -> {
            int valid = seq - seq / HOSTILE_EVERY; // valid records before this one
            int stream = valid % STREAMS;
            String asset = String.format(Locale.ROOT, "ASSET-%04d", stream / SENSORS_PER_ASSET);
            HostileRecords.Hostile hostile = hostile(seq, corpus);
            if (hostile != null) {
                return new FeatureStream.Planned(asset, hostile.value(), false);
            }
            double[] values = faults.nextDouble() < FAULTY_SHARE ? data.faulty() : data.healthy(valid / STREAMS);
            String message = SensorData.message(asset, "VIB-" + stream % SENSORS_PER_ASSET, values,
                    Instant.now().toString(), "{\"seq\": " + seq + "}");
            return new FeatureStream.Planned(asset, message.getBytes(StandardCharsets.UTF_8), true);
        };
    }

    /** The hostile kind record {@code seq} is, or null for a valid record. */
    private static HostileRecords.Hostile hostile(int seq, List<HostileRecords.Hostile> corpus) {
        return (seq + 1) % HOSTILE_EVERY == 0 ? corpus.get((seq / HOSTILE_EVERY) % corpus.size()) : null;
    }

    /**
     * Retrainings at a third and two thirds of the run, the broker's restart at half of it, a full collection every
     * twelfth of it, a line every minute; returns when the stream has handed over its last record, after the events
     * have run.
     */
    private static void runEvents(ServiceProcess service, StandaloneKafka kafka, FeatureStream stream, GcLog gc,
                                  Path work, List<ClassHistogram> histograms, long start) throws Exception {
        long run = TimeUnit.MINUTES.toMillis(MINUTES);
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(3);
        try {
            clock.scheduleAtFixedRate(() -> printMinute(service, stream, gc, start), 60, 60, TimeUnit.SECONDS);
            AtomicInteger ticks = new AtomicInteger();
            clock.scheduleAtFixedRate(() -> fullCollection(ticks.incrementAndGet(), service, work, histograms, start),
                    run / FULL_COLLECTIONS, run / FULL_COLLECTIONS, TimeUnit.MILLISECONDS);
            List<ScheduledFuture<?>> events = List.of(
                    clock.schedule(() -> event(() -> train(service, "retraining 1", 12), start), run / 3,
                            TimeUnit.MILLISECONDS),
                    clock.schedule(() -> event(() -> restartBroker(kafka, start), start), run / 2,
                            TimeUnit.MILLISECONDS),
                    clock.schedule(() -> event(() -> train(service, "retraining 2", 13), start), 2 * run / 3,
                            TimeUnit.MILLISECONDS));
            for (ScheduledFuture<?> event : events) {
                event.get(); // a failed event fails the soak
            }
            while (stream.written() < RATE * 60 * MINUTES) {
                Thread.sleep(1000);
            }
        } finally {
            clock.shutdownNow();
        }
    }

    /**
     * A full collection on demand ({@code jcmd GC.run}). The heap after a young collection also holds whatever
     * earlier young collections promoted and no full collection has freed yet, so it climbs between full ones whether
     * anything leaks or not; the heap after a full collection is what the service really holds. At the end of the
     * second sixth and in the last one it is a class histogram instead (which collects first, then walks the heap: a
     * longer pause, so only twice), to say what any growth is made of.
     */
    private static void fullCollection(int tick, ServiceProcess service, Path work, List<ClassHistogram> histograms,
                                       long start) {
        try {
            if (HISTOGRAM_TICKS.contains(tick)) {
                String name = "histogram-" + clock(System.currentTimeMillis(), start).replace(':', '-') + ".txt";
                histograms.add(ClassHistogram.take(service.pid(), work.resolve(name)));
            } else {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        String.valueOf(service.pid()), "GC.run").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!jcmd.waitFor(2, TimeUnit.MINUTES) || jcmd.exitValue() != 0) {
                    System.out.println("jcmd GC.run failed or hung");
                }
            }
        } catch (IOException e) {
            System.out.println("no full collection: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the run is over
        }
    }

    @FunctionalInterface
    private interface Event {
        void run() throws Exception;
    }

    private static Void event(Event event, long start) throws Exception {
        System.out.printf("%s  event starts%n", clock(System.currentTimeMillis(), start));
        event.run();
        return null;
    }

    /** SIGKILL, as a crash would, then the broker again on its port and data; the service is left running. */
    private static void restartBroker(StandaloneKafka kafka, long start) throws Exception {
        kafka.kill();
        long killed = System.nanoTime();
        System.out.printf("%s  broker SIGKILLed%n", clock(System.currentTimeMillis(), start));
        kafka.launch();
        System.out.printf("%s  broker up again after %.1f s%n", clock(System.currentTimeMillis(), start),
                (System.nanoTime() - killed) / 1e9);
    }

    private static void printCollection(GcLog.Collection collection, long start) {
        System.out.printf("%s  gc %-5s %-28s heap after %4d MiB of %4d MiB, pause %5.1f ms%n",
                clock(collection.epochMillis(), start), collection.pause(), "(" + collection.cause() + ")",
                mib(collection.usedAfterBytes()), mib(collection.heapBytes()), collection.pauseMillis());
    }

    private static void printMinute(ServiceProcess service, FeatureStream stream, GcLog gc, long start) {
        long now = System.currentTimeMillis();
        long minute = (now - start) / 60_000;
        List<Long> heapAfter = gc.collections().stream().filter(c -> c.epochMillis() >= now - 60_000)
                .map(GcLog.Collection::usedAfterBytes).sorted().toList();
        String scored;
        String load;
        try {
            JsonNode pipeline = JSON.readTree(service.api().get(ServiceApi.STATUS).body()).get("pipeline");
            scored = "scored " + pipeline.get("scored").asLong() + ", dead-lettered "
                    + pipeline.get("dead_lettered").asLong();
            // the machine may be shared: its load explains latencies the service alone would not have
            load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            scored = "status unanswered: " + e;
            load = "?";
        }
        System.out.printf("minute %2d  sent %,d  %s  collections %d, heap after: median %s MiB, max %s MiB;"
                        + " load average %s%n", minute, stream.written(), scored, heapAfter.size(),
                heapAfter.isEmpty() ? "-" : mib(heapAfter.get(heapAfter.size() / 2)),
                heapAfter.isEmpty() ? "-" : mib(heapAfter.getLast()), load);
    }

    /** What reading the output and dead-letter topics whole found. */
    private record Audit(int sent, int hostile, DeliveryAudit.Ledger.Balance balance, long results,
                         Map<String, Integer> deadLettersByType, List<String> wrongDeadLetters,
                         Map<Long, Long> resultsByModelVersion, int[][] latencyByMinute) {
    }

    /**
     * Every input record accounted for ({@link DeliveryAudit.Ledger}), each hostile record's dead letter checked for
     * its kind's x-error-type, and each result's latency (its broker append time minus its record's send time)
     * counted by the minute it was sent in. Results are counted as they are read: a 30-minute run makes millions.
     */
    private static Audit audit(String brokers, RunningService.Topics topics, List<FeatureStream.Sent> sent,
                               List<HostileRecords.Hostile> corpus, long start) throws Exception {
        DeliveryAudit.Ledger ledger = new DeliveryAudit.Ledger(sent.size());
        Map<String, String> deadLetterTypes = new HashMap<>();
        Map<String, Integer> byType = new TreeMap<>();
        DeliveryAudit.forEach(brokers, topics.deadLetter(), deadLetter -> {
            ledger.deadLetter(deadLetter);
            String type = TopicReader.header(deadLetter, "x-error-type");
            deadLetterTypes.put(DeliveryAudit.Ledger.source(deadLetter), type);
            byType.merge(type, 1, Integer::sum);
        });
        long[] results = {0};
        Map<Long, Long> byVersion = new TreeMap<>();
        int[][] latency = new int[MINUTES + 1][LATENCY_CAP_MILLIS + 1];
        DeliveryAudit.forEach(brokers, topics.output(), output -> {
            try {
                JsonNode result = JSON.readTree(output.value());
                ledger.result(result);
                results[0]++;
                byVersion.merge(result.get("model_version").asLong(), 1L, Long::sum);
                long sentAt = Instant.parse(result.get("timestamp").asText()).toEpochMilli();
                int minute = (int) Math.min(MINUTES, Math.max(0, (sentAt - start) / 60_000));
                latency[minute][(int) Math.min(LATENCY_CAP_MILLIS, Math.max(0, output.timestamp() - sentAt))]++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<String> wrong = new ArrayList<>();
        int hostile = 0;
        for (FeatureStream.Sent record : sent) {
            HostileRecords.Hostile kind = hostile(record.seq(), corpus);
            if (kind != null) {
                hostile++;
                String type = deadLetterTypes.get(DeliveryAudit.Ledger.source(record));
                if (type != null && !type.equals(kind.type())) {
                    wrong.add(kind.name() + " at " + DeliveryAudit.Ledger.source(record) + ": " + type
                            + " instead of " + kind.type());
                }
            }
        }
        return new Audit(sent.size(), hostile, ledger.balance(sent), results[0], byType, wrong, byVersion, latency);
    }

    private static void report(Audit audit, List<GcLog.Collection> collections, List<ClassHistogram> histograms,
                               long start, ServiceProcess service, JsonNode status) throws Exception {
        System.out.println();
        System.out.printf("sent %,d records (%,d hostile), results %,d, dead letters %,d%n", audit.sent(),
                audit.hostile(), audit.results(), audit.deadLettersByType().values().stream()
                        .mapToInt(Integer::intValue).sum());
        System.out.printf("lost %d, duplicates %d (allowed %d)%n", audit.balance().lost(),
                audit.balance().duplicates(), DUPLICATES_ALLOWED);
        System.out.println("dead letters by x-error-type: " + audit.deadLettersByType());
        System.out.printf("hostile records dead-lettered with another type than their kind's: %d%s%n",
                audit.wrongDeadLetters().size(), audit.wrongDeadLetters().isEmpty() ? ""
                        : " " + audit.wrongDeadLetters().subList(0, Math.min(5, audit.wrongDeadLetters().size())));
        System.out.println("results by model version: " + audit.resultsByModelVersion());
        int[] all = new int[LATENCY_CAP_MILLIS + 1];
        for (int minute = 0; minute < audit.latencyByMinute().length; minute++) {
            int[] histogram = audit.latencyByMinute()[minute];
            for (int millis = 0; millis < all.length; millis++) {
                all[millis] += histogram[millis];
            }
            if (count(histogram) > 0) {
                System.out.printf("latency of the records sent in minute %2d: p50 %d, p99 %d, max %d ms%n", minute,
                        percentile(histogram, 0.50), percentile(histogram, 0.99), percentile(histogram, 1.0));
            }
        }
        long p99 = percentile(all, 0.99);
        System.out.printf("latency, whole run: p50 %d, p95 %d, p99 %d, max %d ms%n", percentile(all, 0.50),
                percentile(all, 0.95), p99, percentile(all, 1.0));

        long run = TimeUnit.MINUTES.toMillis(MINUTES);
        long sixth = run / 6;
        String early = minutes(sixth, 2 * sixth);
        String late = minutes(run - sixth, run);
        List<GcLog.Collection> full = collections.stream().filter(c -> c.pause().equals("Full")).toList();
        long anyEarly = medianHeapAfter(collections, start + sixth, start + 2 * sixth);
        long anyLate = medianHeapAfter(collections, start + run - sixth, start + run);
        long fullEarly = medianHeapAfter(full, start + sixth, start + 2 * sixth);
        long fullLate = medianHeapAfter(full, start + run - sixth, start + run);
        System.out.printf("collections: %d young, %d full; service peak RSS %d MiB%n",
                collections.size() - full.size(), full.size(), mib(service.peakRssBytes()));
        System.out.printf("median heap after a full collection: %d MiB in minutes %s, %d MiB in minutes %s%n",
                mib(fullEarly), early, mib(fullLate), late);
        System.out.printf("median heap after any collection: %d MiB in minutes %s, %d MiB in minutes %s%n",
                mib(anyEarly), early, mib(anyLate), late);
        printGrowth(histograms, start, start + 2 * sixth, start + run);
        System.out.println("service status at the end: " + status.get("pipeline"));

        List<String> failures = new ArrayList<>();
        if (audit.balance().lost() > 0) {
            failures.add("lost records");
        }
        if (audit.balance().duplicates() > DUPLICATES_ALLOWED) {
            failures.add("more duplicates than one batch per partition");
        }
        if (!audit.wrongDeadLetters().isEmpty()) {
            failures.add("hostile records with the wrong x-error-type");
        }
        if (fullEarly <= 0 || fullLate > fullEarly * (1 + HEAP_GROWTH_ALLOWED)) {
            failures.add("heap after full collections grew (or was not measured)");
        }
        if (!service.isAlive()) {
            failures.add("the service died");
        }
        if (!failures.isEmpty()) {
            System.out.println("failed: " + String.join(", ", failures));
        }
        System.out.printf("SOAK %s minutes=%d sent=%d lost=%d duplicates=%d p99=%dms heap_after_full_gc minutes%s=%dMiB"
                        + " minutes%s=%dMiB heap_after_any_gc minutes%s=%dMiB minutes%s=%dMiB%n",
                failures.isEmpty() ? "PASS" : "FAIL", MINUTES, audit.sent(), audit.balance().lost(),
                audit.balance().duplicates(), p99, early, mib(fullEarly), late, mib(fullLate), early, mib(anyEarly),
                late, mib(anyLate));
    }

    /** What the live heap gained between the last class histograms taken by {@code first} and by {@code last}. */
    private static void printGrowth(List<ClassHistogram> histograms, long start, long first, long last) {
        ClassHistogram from = null;
        ClassHistogram to = null;
        for (ClassHistogram histogram : histograms) {
            from = histogram.epochMillis() <= first ? histogram : from;
            to = histogram.epochMillis() <= last ? histogram : to;
        }
        if (from == null || to == null || from == to) {
            System.out.println("no two class histograms to compare");
            return;
        }
        System.out.printf("live heap by class: %d MiB at %s, %d MiB at %s; grew most:%n%s%n", mib(from.totalBytes()),
                clock(from.epochMillis(), start), mib(to.totalBytes()), clock(to.epochMillis(), start),
                to.growthSince(from, 10));
    }

    /** Median used heap after the collections in [from, to) (epoch ms); 0 when there was none. */
    private static long medianHeapAfter(List<GcLog.Collection> collections, long from, long to) {
        List<Long> after = collections.stream().filter(c -> c.epochMillis() >= from && c.epochMillis() < to)
                .map(GcLog.Collection::usedAfterBytes).sorted().toList();
        return after.isEmpty() ? 0 : after.get(after.size() / 2);
    }

    private static int count(int[] histogram) {
        int count = 0;
        for (int n : histogram) {
            count += n;
        }
        return count;
    }

    /** The {@code q} quantile of a per-millisecond histogram: the smallest latency with at least q of them at or below. */
    private static int percentile(int[] histogram, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * count(histogram)));
        long seen = 0;
        for (int millis = 0; millis < histogram.length; millis++) {
            seen += histogram[millis];
            if (seen >= rank) {
                return millis;
            }
        }
        return histogram.length - 1;
    }

    /** "5-10", or "0.5-1" for a short run. */
    private static String minutes(long fromMillis, long toMillis) {
        DecimalFormat minutes = new DecimalFormat("0.#", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return minutes.format(fromMillis / 60_000.0) + "-" + minutes.format(toMillis / 60_000.0);
    }

    /** Time since the stream started, mm:ss; negative before (the initial training). */
    private static String clock(long epochMillis, long start) {
        long seconds = Math.abs(epochMillis - start) / 1000;
        return String.format(Locale.ROOT, "%s%02d:%02d", epochMillis < start ? "-" : "", seconds / 60, seconds % 60);
    }

    private static long mib(long bytes) {
        return Math.round(bytes / 1048576.0);
    }

    private Soak() {
    }
}
