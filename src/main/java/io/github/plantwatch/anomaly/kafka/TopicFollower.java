package io.github.plantwatch.anomaly.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Reads every partition of a topic from its beginning, then follows it, on a thread of its own, without a consumer
 * group (every instance reads it all), handing each record to a listener: how an instance learns what the other
 * instances wrote (episodes, feedback, maintenance windows). {@link #caughtUp()} completes once the records that
 * were on the topic when reading began have been handed over. A topic that does not exist yet is waited for.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread reader;
    private volatile boolean reading = true;
    /** Per partition, the offset of the next record to hand over; guarded by this. */
    private final Map<Integer, Long> handedOver = new HashMap<>();

    /** @param connection the brokers and the kafka component's security settings ({@link TopicProvisioner#adminConfig}) */
    public TopicFollower(Map<String, Object> connection, String topic, Consumer<ConsumerRecord<byte[], byte[]>> listener) {
        this.topic = topic;
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a topic made by the broker's auto-creation would lack the settings the service creates it with
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.reader = Thread.ofPlatform().name("follow-" + topic).daemon().start(() -> read(listener));
    }

    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    private void read(Consumer<ConsumerRecord<byte[], byte[]>> listener) {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int waited = 0; partitions.isEmpty() && reading; waited++) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                if (partitions.isEmpty()) {
                    if (waited % 30 == 5) { // a topic just created takes a moment to be known
                        LOG.warn("Topic {} does not exist yet: waiting for it (create it compacted with one partition, "
                                + "or set KAFKA_CREATE_TOPICS=true)", topic);
                    }
                    Thread.sleep(1000);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (reading) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        listener.accept(record);
                    } catch (RuntimeException e) {
                        LOG.warn("{}: record at offset {} skipped: {}", topic, record.offset(), e.toString());
                    }
                }
                synchronized (this) {
                    partitions.forEach(p -> handedOver.put(p.partition(), consumer.position(p)));
                    notifyAll();
                }
                if (!caughtUp.isDone() && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Cannot read {}: {}; what this instance knows of it stays as it is", topic, e.toString());
            caughtUp.completeExceptionally(e);
        }
    }

    /**
     * Waits until the record at {@code offset} of the partition has been handed to the listener: a write is then
     * visible to whoever reads what the listener keeps.
     *
     * @return false when it was not within the timeout
     */
    public synchronized boolean awaitHandedOver(int partition, long offset, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handedOver.getOrDefault(partition, 0L) <= offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        reading = false;
        consumer.wakeup();
        reader.join(5000);
        consumer.close(Duration.ofSeconds(5));
    }
}
