package io.github.plantwatch.anomaly.support;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a paced stream of seed-format records to the input topic in the background, so a fault can be injected
 * while the service is in the middle of it. Every valid record carries its sequence number in {@code metadata.seq},
 * which the service echoes, so each output can be traced to its input; invalid records must come back on the
 * dead-letter topic instead. The fault tests' stream: every {@value #BAD_EVERY}th record is invalid, records are
 * keyed by asset (8 assets) and so spread over partitions; a {@link Plan} of its own makes another stream.
 */
public final class FeatureStream implements AutoCloseable {

    /** The fault tests' stream: long enough to inject a fault in its middle, short enough for a 2-minute test. */
    public static final int RECORDS = 3000;
    public static final int BAD_EVERY = 40;
    private static final int ASSETS = 8;
    private static final long TICK_MILLIS = 20;

    /** Where one record landed; {@code valid} records must produce an output, the others a dead letter. */
    public record Sent(int seq, int partition, long offset, boolean valid) {
    }

    /** Record number {@code seq} of a stream: its key, its value, whether the service must score it. */
    public record Planned(String key, byte[] value, boolean valid) {
    }

    /** What a stream sends, record by record; called just before each send, so a value may carry its send time. */
    @FunctionalInterface
    public interface Plan {
        Planned record(int seq);
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int records;
    private final int perSecond;
    private final Sent[] sent;
    private final CountDownLatch acknowledged;
    private final AtomicInteger handedOver = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Plan plan;
    private final Thread writer;

    private FeatureStream(String bootstrapServers, String topic, int records, int perSecond, Plan plan) {
        // Generous timeouts and buffer: when the broker is down the sends wait in the buffer instead of failing.
        // Requests of up to 8 MiB, so that a plan can send the hostile corpus's 5 MB record (to a topic that takes it).
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.records = records;
        this.perSecond = perSecond;
        this.plan = plan;
        this.sent = new Sent[records];
        this.acknowledged = new CountDownLatch(records);
        this.writer = Thread.ofPlatform().name("feature-stream").daemon().unstarted(this::write);
    }

    /** Starts writing the fault tests' {@value #RECORDS} records at about {@code perSecond} per second. */
    public static FeatureStream start(String bootstrapServers, String topic, int perSecond) {
        return start(bootstrapServers, topic, RECORDS, perSecond);
    }

    /** Starts writing {@code records} records of the fault tests' stream at about {@code perSecond} per second. */
    public static FeatureStream start(String bootstrapServers, String topic, int records, int perSecond) {
        return start(bootstrapServers, topic, records, perSecond, faultTestPlan());
    }

    /** Starts writing {@code records} records of {@code plan} at {@code perSecond} per second. */
    public static FeatureStream start(String bootstrapServers, String topic, int records, int perSecond, Plan plan) {
        FeatureStream stream = new FeatureStream(bootstrapServers, topic, records, perSecond, plan);
        stream.writer.start();
        return stream;
    }

    /**
     * Sends a tick's worth of records at a time, each tick when it is due on a fixed schedule from the first one, so
     * the rate holds however long the sends take (a stream held up catches up, as sensors' buffered data would).
     */
    private void write() {
        long perTick = Math.max(1, perSecond * TICK_MILLIS / 1000);
        long start = System.nanoTime();
        try {
            for (int seq = 0; seq < records; seq++) {
                if (seq % perTick == 0) {
                    long ahead = start + seq * 1_000_000_000L / perSecond - System.nanoTime();
                    if (ahead > 0) {
                        TimeUnit.NANOSECONDS.sleep(ahead);
                    }
                }
                send(seq);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private void send(int seq) {
        Planned record = plan.record(seq);
        producer.send(new ProducerRecord<>(topic, record.key().getBytes(StandardCharsets.UTF_8), record.value()),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        sent[seq] = new Sent(seq, metadata.partition(), metadata.offset(), record.valid());
                    }
                    acknowledged.countDown();
                });
        handedOver.incrementAndGet();
    }

    /** The fault tests' stream: 8 assets, every {@value #BAD_EVERY}th record invalid. */
    private static Plan faultTestPlan() {
        SensorData data = new SensorData(11);
        return seq -> {
            boolean valid = (seq + 1) % BAD_EVERY != 0;
            // bad records rotate over the assets too, so they reach every partition
            String asset = "ASSET-" + (valid ? seq % ASSETS : (seq / BAD_EVERY) % ASSETS);
            String value = valid
                    ? SensorData.message(asset, "VIB-1", data.healthy(seq / ASSETS), "2024-01-01T12:00:00Z",
                    "{\"seq\": " + seq + "}")
                    : badRecord(seq);
            return new Planned(asset, value.getBytes(StandardCharsets.UTF_8), valid);
        };
    }

    /** Alternates two kinds of bad record: not JSON at all, and a record without features. */
    private static String badRecord(int seq) {
        return (seq / BAD_EVERY) % 2 == 0 ? "{\"seq\": " + seq + ", not json" : "{\"asset_id\": \"BROKEN\", \"seq\": " + seq + "}";
    }

    /** How many records have been handed to the producer so far. */
    public int written() {
        return handedOver.get();
    }

    /** Waits until every record is acknowledged by the broker; returns where each one landed, by sequence number. */
    public List<Sent> awaitAcknowledged() throws Exception {
        Duration timeout = Await.PATIENCE;
        if (!acknowledged.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("only " + (records - acknowledged.getCount()) + " of " + records
                    + " input records acknowledged within " + timeout);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the test's own producer failed", failure.get());
        }
        return List.of(sent);
    }

    @Override
    public void close() {
        writer.interrupt();
        producer.close(Duration.ofSeconds(10));
    }
}
