package io.github.plantwatch.anomaly.kafka;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * What operators tell the service (feedback, maintenance windows) kept on a compacted topic of one partition, key =
 * the entry's id, value = its JSON (a tombstone deletes it): the API writes an entry and answers once Kafka has
 * acknowledged it; every instance reads the whole topic from its start and follows it ({@link TopicFollower}), so
 * the entry reaches every instance's scorer and survives restarts. One partition: every instance sees the entries
 * in the same order.
 */
public final class ControlLog extends ServiceSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ControlLog.class);
    private static final Duration ACKNOWLEDGEMENT_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;
    private final TopicCreation creation;
    private final String what;
    private final BiConsumer<String, byte[]> listener;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private KafkaProducer<byte[], byte[]> producer;
    private TopicFollower follower;

    /**
     * @param what     what the topic holds, for log lines
     * @param listener gets every entry read, key and value (null: deleted), on the follower's thread
     */
    public ControlLog(String bootstrapServers, String topic, TopicCreation creation, String what,
                      BiConsumer<String, byte[]> listener) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.creation = creation;
        this.what = what;
        this.listener = listener;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) throws Exception {
        Map<String, Object> connection = TopicProvisioner.adminConfig(
                context.getComponent("kafka", KafkaComponent.class).getConfiguration(), bootstrapServers);
        if (creation.enabled()) {
            try (Admin admin = Admin.create(connection)) {
                TopicProvisioner.createCompacted(admin, topic, 1, 0, what, creation);
            }
        }
        Map<String, Object> producerConfig = new HashMap<>(connection);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        follower = new TopicFollower(connection, topic, this::accept);
        follower.caughtUp().whenComplete((done, error) -> {
            if (error == null) {
                caughtUp.complete(null);
            } else {
                caughtUp.completeExceptionally(error);
            }
        });
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the topic is read from onCamelContextStarting
    }

    /** Completes once the entries on the topic at start have reached the listener. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() != null) {
            listener.accept(new String(record.key(), StandardCharsets.UTF_8), record.value());
        }
    }

    /**
     * Writes an entry (null value: deletes it), waits for Kafka's acknowledgement, then for this instance to have
     * read it back: the answer to the request that wrote it already reflects it, in the topic's order.
     *
     * @throws IllegalStateException when Kafka does not acknowledge it in time, with the cause
     */
    public void write(String key, byte[] value) throws InterruptedException {
        RecordMetadata written;
        try {
            written = producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get(ACKNOWLEDGEMENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.error("Could not write {} to {}: {}", what, topic, cause.toString());
            throw new IllegalStateException("Kafka did not acknowledge the write to " + topic + ": " + cause, cause);
        }
        if (!follower.awaitHandedOver(written.partition(), written.offset(), ACKNOWLEDGEMENT_TIMEOUT)) {
            LOG.warn("Wrote {} to {} at offset {}, not read back within {} s: instances see it once they do", what,
                    topic, written.offset(), ACKNOWLEDGEMENT_TIMEOUT.toSeconds());
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (follower != null) {
            follower.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
