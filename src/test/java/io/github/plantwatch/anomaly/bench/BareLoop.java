package io.github.plantwatch.anomaly.bench;

import io.github.plantwatch.anomaly.Settings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's at-least-once loop with no work in it, the benchmark's ceiling (docs/performance.md): each of N
 * threads polls a batch (the service's consumer settings), sends one record of the result's size per input record
 * through one shared producer (the service's producer settings), waits for every acknowledgement, then commits
 * the batch's offsets. Each record sent is the input's bytes padded with blanks to the result's size (a JSON input
 * stays JSON), so that a fixed-rate phase reads its send time back from it as from a result. It stops once the
 * group has processed {@code records} in all and prints when it consumed its first record and the CPU it used from
 * then on, and how much of it its JIT compilers used: {@code BARE_LOOP first_consumed_ms=... cpu_seconds=...
 * jit_seconds=...}.
 * <p>
 * Arguments: brokers input-topic output-topic group threads record-bytes records.
 */
public final class BareLoop {

    /** The service's own client settings, read from its application.properties (with their overrides). */
    private static final Settings SERVICE = Settings.shipped();
    private static final int MAX_POLL_RECORDS = SERVICE.integer("kafka.consumer.max-poll-records");
    private static final int LINGER_MS = SERVICE.integer("camel.component.kafka.linger-ms");
    private static final int BATCH_BYTES = SERVICE.integer("camel.component.kafka.producer-batch-size");

    public static void main(String[] args) throws Exception {
        String brokers = args[0];
        String input = args[1];
        String output = args[2];
        String group = args[3];
        int threads = Integer.parseInt(args[4]);
        int resultBytes = Integer.parseInt(args[5]);
        long records = Long.parseLong(args[6]);
        AtomicLong processed = new AtomicLong();
        AtomicLong firstConsumed = new AtomicLong(Long.MAX_VALUE);
        AtomicLong cpuAtFirst = new AtomicLong();
        ThreadCpu compilers = new ThreadCpu(ProcessHandle.current().pid());
        AtomicReference<Double> jitAtFirst = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, LINGER_MS,
                ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Thread> loops = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                loops.add(Thread.ofPlatform().name("bare-loop-" + i).start(() ->
                        loop(brokers, input, output, group, producer, resultBytes, records, processed, firstConsumed,
                                () -> {
                                    cpuAtFirst.set(processCpuNanos());
                                    jitAtFirst.set(jitSeconds(compilers));
                                })));
            }
            for (Thread loop : loops) {
                loop.join();
            }
            System.out.printf(Locale.ROOT, "BARE_LOOP first_consumed_ms=%d cpu_seconds=%.3f jit_seconds=%.3f "
                    + "records=%d%n", firstConsumed.get(), (processCpuNanos() - cpuAtFirst.get()) / 1e9,
                    jitSeconds(compilers) - jitAtFirst.get(), processed.get());
        }
    }

    private static void loop(String brokers, String input, String output, String group,
                             KafkaProducer<byte[], byte[]> producer, int resultBytes, long records,
                             AtomicLong processed, AtomicLong firstConsumed, Runnable atFirstRecord) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(input));
            List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(MAX_POLL_RECORDS);
            while (processed.get() < records) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                if (firstConsumed.compareAndSet(Long.MAX_VALUE, System.currentTimeMillis())) {
                    atFirstRecord.run();
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    acknowledgements.add(producer.send(new ProducerRecord<>(output, record.key(),
                            padded(record.value(), resultBytes))));
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                    acknowledgement.get();
                }
                acknowledgements.clear();
                consumer.commitSync(offsets);
                processed.addAndGet(batch.count());
            }
        } catch (Exception e) {
            throw new IllegalStateException("bare loop failed", e);
        }
    }

    private static byte[] padded(byte[] value, int size) {
        byte[] padded = Arrays.copyOf(value, Math.max(size, value.length));
        Arrays.fill(padded, value.length, padded.length, (byte) ' ');
        return padded;
    }

    private static double jitSeconds(ThreadCpu threads) {
        try {
            return threads.seconds().get(ThreadCpu.Kind.JIT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private BareLoop() {
    }
}
