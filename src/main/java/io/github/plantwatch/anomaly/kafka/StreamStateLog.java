package io.github.plantwatch.anomaly.kafka;

import io.github.plantwatch.anomaly.stream.StreamCheckpoints;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The stream-state changelog ({@code kafka.topic.stream-state}): a compacted topic co-partitioned with the input
 * (at least as many partitions; a stream's state goes to the partition number of its input records), key = stream,
 * value = its {@code StreamSnapshot}. The route writes it after each batch's results are acknowledged and before
 * the offsets are committed; this reads a partition back, to its end, when the scorer must restore it.
 */
public final class StreamStateLog extends ServiceSupport implements StreamCheckpoints, StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamStateLog.class);
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final String topic;
    private final String inputTopic;
    private final TopicCreation creation;
    private volatile Map<String, Object> connection;
    private boolean checked;
    private KafkaConsumer<byte[], byte[]> consumer;

    public StreamStateLog(String bootstrapServers, String topic, String inputTopic, TopicCreation creation) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.inputTopic = inputTopic;
        this.creation = creation;
    }

    /**
     * With {@code kafka.create-topics} (the broker must then be reachable at start anyway), creates the changelog
     * after the input topic (listeners run in order) and checks the co-partitioning; otherwise the first restore
     * checks it.
     */
    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) throws Exception {
        connection = TopicProvisioner.adminConfig(
                context.getComponent("kafka", KafkaComponent.class).getConfiguration(), bootstrapServers);
        if (creation.enabled()) {
            checkPartitions();
        }
    }

    private void checkPartitions() throws Exception {
        try (Admin admin = Admin.create(connection)) {
            int inputPartitions = partitions(admin, inputTopic);
            if (creation.enabled()) {
                TopicProvisioner.createCompacted(admin, topic, inputPartitions, 0, "the streams' scoring state",
                        creation);
            }
            int statePartitions = partitions(admin, topic);
            if (statePartitions < inputPartitions) {
                throw new IllegalStateException("the stream-state topic " + topic + " has " + statePartitions
                        + " partitions, fewer than the " + inputPartitions + " of " + inputTopic + ": give it as "
                        + "many (kafka-topics.sh --alter --partitions), or name another (KAFKA_TOPIC_STREAM_STATE)");
            }
        }
        checked = true;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // checked in onCamelContextStarting, before the route may start
    }

    /** A topic's partition count; a topic just created may take a moment to be described (metadata propagation). */
    private static int partitions(Admin admin, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(name);
                return description.partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot describe topic " + name + " (" + e.getCause()
                            + "): create it, or set KAFKA_CREATE_TOPICS=true", e.getCause());
                }
                Thread.sleep(200);
            }
        }
    }

    /** Reads one partition of the changelog to its end; a stream's newest record wins, a tombstone removes it. */
    @Override
    public synchronized Map<String, byte[]> restore(int partition) {
        if (!checked) {
            try {
                checkPartitions();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot check the stream-state topic " + topic + ": " + e, e);
            }
        }
        if (consumer == null) {
            Map<String, Object> config = new HashMap<>(connection);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        TopicPartition changelog = new TopicPartition(topic, partition);
        consumer.assign(List.of(changelog));
        consumer.seekToBeginning(List.of(changelog));
        long end = consumer.endOffsets(List.of(changelog), RESTORE_TIMEOUT).get(changelog);
        Map<String, byte[]> states = new HashMap<>();
        long deadline = System.nanoTime() + RESTORE_TIMEOUT.toNanos();
        while (consumer.position(changelog) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + changelog + " up to offset " + end + " within "
                        + RESTORE_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.key() == null) {
                    continue; // not written by the service
                }
                String stream = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    states.remove(stream);
                } else {
                    states.put(stream, record.value());
                }
            }
        }
        return states;
    }

    @Override
    protected synchronized void doStop() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }
}
