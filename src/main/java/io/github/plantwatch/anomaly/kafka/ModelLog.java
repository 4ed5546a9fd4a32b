package io.github.plantwatch.anomaly.kafka;

import io.github.plantwatch.anomaly.detect.ModelFormatException;
import io.github.plantwatch.anomaly.detect.ModelScope;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.store.ModelSetFormat;
import io.github.plantwatch.anomaly.train.ModelInstaller;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The model sets of every instance, shared through a compacted topic ({@code kafka.topic.models}, one partition,
 * key = scope, value = the set in the portable format): the way Kafka Streams shares state, without a store of our
 * own. Every instance reads the topic from its start before the route may consume (so it scores with the newest
 * set of every scope), then follows it; a set is put into service on an instance only when that instance reads it
 * from the log, the instance that trained it included.
 * <p>
 * Versions come from the log, not from one JVM: a scope's version only goes up, in log order. A training run
 * publishes its set as the scope's newest version + 1 and waits until its own reader has applied that record; if
 * another instance's set of the same version came first in the log, the later one is ignored by every instance
 * alike (all read the same order) and the run publishes again as the next version. So two instances never put two
 * different sets in service under one version.
 */
public final class ModelLog extends ServiceSupport implements ModelInstaller, StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLog.class);
    /** The largest set the log takes (topic max.message.bytes, producer max.request.size): docs/model-format.md. */
    public static final int MAX_SET_BYTES = 64 << 20;
    private static final int PARTITION = 0;
    private static final int PUBLISH_ATTEMPTS = 5;
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(60);

    /** Where a set read from the log goes into service on this instance (cached, swapped in); never throws. */
    @FunctionalInterface
    public interface LocalInstall {
        void put(ModelSet models);
    }

    private record Accepted(long version, long offset) {
    }

    private final String bootstrapServers;
    private final String topic;
    private final TopicCreation creation;
    private final LocalInstall local;
    /** Per scope key, the set in service by the log's order. Guarded by this. */
    private final Map<String, Accepted> accepted = new HashMap<>();
    /** The offset after the last record applied. Guarded by this. */
    private long appliedUpTo;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread reader;
    private volatile boolean reading;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();

    public ModelLog(String bootstrapServers, String topic, TopicCreation creation, LocalInstall local) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.creation = creation;
        this.local = local;
    }

    /**
     * While the context starts, with the kafka component's security settings: creates the clients, then, on a thread
     * of its own, the topic if asked, reads the whole log and installs the newest set of every scope
     * ({@link #caughtUp()} completes), and follows the log. A broker that cannot be reached delays the catch-up
     * (retried), not the service's start; the route waits for it.
     */
    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        Map<String, Object> connection = TopicProvisioner.adminConfig(
                context.getComponent("kafka", KafkaComponent.class).getConfiguration(), bootstrapServers);
        Map<String, Object> producerConfig = new HashMap<>(connection);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_SET_BYTES);
        producerConfig.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * MAX_SET_BYTES);
        producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> consumerConfig = new HashMap<>(connection);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        reading = true;
        reader = Thread.ofPlatform().name("model-log-reader").daemon().start(() -> {
            if (catchUpUntilDone(connection)) {
                follow();
            }
        });
    }

    /** Completes once the whole log, as it was at start, is in service on this instance. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    private boolean catchUpUntilDone(Map<String, Object> connection) {
        TopicPartition partition = new TopicPartition(topic, PARTITION);
        for (long pause = 1000; reading; pause = Math.min(30_000, 2 * pause)) {
            try {
                if (creation.enabled()) {
                    createTopic(connection);
                }
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                catchUp(partition);
                caughtUp.complete(null);
                return true;
            } catch (WakeupException e) {
                return false;
            } catch (Exception e) {
                LOG.warn("Cannot read the model log {} yet ({}); the route waits for it. Retrying in {} s. If the "
                        + "topic is missing: create it (compacted, one partition), or set KAFKA_CREATE_TOPICS=true, or"
                        + " KAFKA_TOPIC_MODELS= (empty) to keep model sets on this instance", topic, e.toString(),
                        pause / 1000);
                synchronized (this) {
                    accepted.clear();
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the log is read in onCamelContextStarting, before the route may start
    }

    private void createTopic(Map<String, Object> connection) throws Exception {
        try (Admin admin = Admin.create(connection)) {
            TopicProvisioner.createCompacted(admin, topic, 1, MAX_SET_BYTES, "the model sets of every instance",
                    creation);
        }
    }

    /** Reads the log up to its end at start, then installs only the newest set of each scope. */
    private void catchUp(TopicPartition partition) {
        long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        Map<String, ModelSet> newest = new LinkedHashMap<>();
        long deadline = System.nanoTime() + APPLY_TIMEOUT.toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the model log " + topic + " up to offset " + end
                        + " within " + APPLY_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                ModelSet set = accept(record);
                if (set != null) {
                    newest.put(set.scope().key(), set);
                }
            }
        }
        for (ModelSet set : newest.values()) {
            local.put(set);
        }
        synchronized (this) {
            appliedUpTo = end;
            notifyAll();
        }
        LOG.info("Model log {} read up to offset {}: {} model sets in service", topic, end, newest.size());
    }

    private void follow() {
        while (reading) {
            try {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    try {
                        ModelSet set = accept(record);
                        if (set != null) {
                            local.put(set);
                            LOG.info("Model set {} v{} from the model log is in service", set.scope(), set.version());
                        }
                    } catch (RuntimeException e) {
                        LOG.error("Model log {} offset {}: {}", topic, record.offset(), e.toString());
                    } finally {
                        synchronized (this) {
                            appliedUpTo = record.offset() + 1;
                            notifyAll();
                        }
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("Model log {}: {}; reading on", topic, e.toString());
            }
        }
    }

    /** The set a record brings if it is the scope's next version in log order; null otherwise (logged). */
    private ModelSet accept(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        ModelSet set;
        try {
            set = ModelSetFormat.decode(record.value());
        } catch (ModelFormatException e) {
            LOG.error("Model log {} offset {}: cannot use the model set: {}", topic, record.offset(), e.getMessage());
            return null;
        }
        String scope = set.scope().key();
        synchronized (this) {
            Accepted current = accepted.get(scope);
            if (current != null && set.version() <= current.version()) {
                LOG.warn("Model log {} offset {}: {} v{} ignored, v{} came first (offset {})", topic,
                        record.offset(), scope, set.version(), current.version(), current.offset());
                return null;
            }
            accepted.put(scope, new Accepted(set.version(), record.offset()));
        }
        return set;
    }

    /**
     * Publishes a trained set as its scope's next version and returns once this instance has put it in service;
     * publishes again as the next version when another instance's set took that one first.
     */
    @Override
    public synchronized ModelSet install(ModelSet trained) throws IOException {
        if (!caughtUp.isDone()) {
            throw new IOException("the model log " + topic + " is not read yet (is Kafka reachable?): the set would "
                    + "get a version the log may already hold; try again in a moment");
        }
        ModelScope scope = trained.scope();
        for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
            Accepted current = accepted.get(scope.key());
            ModelSet set = trained.as(scope, current == null ? 1 : current.version() + 1);
            long offset = publish(set);
            awaitApplied(offset);
            Accepted now = accepted.get(scope.key());
            if (now != null && now.offset() == offset) {
                return set;
            }
            LOG.info("Model set {} v{}: another instance published that version first; publishing again", scope,
                    set.version());
        }
        throw new IOException("could not publish model set " + scope + " to " + topic + ": other instances kept "
                + "publishing the same versions (" + PUBLISH_ATTEMPTS + " attempts)");
    }

    private long publish(ModelSet set) throws IOException {
        byte[] value = ModelSetFormat.encode(set);
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, PARTITION,
                    set.scope().key().getBytes(StandardCharsets.UTF_8), value)).get(2, TimeUnit.MINUTES);
            return written.offset();
        } catch (ExecutionException e) {
            throw new IOException("could not publish model set " + set.scope() + " v" + set.version() + " ("
                    + value.length + " bytes) to " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("publishing model set " + set.scope() + " to " + topic + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing model set " + set.scope(), e);
        }
    }

    /** Waits (releasing the lock, as {@link #accept} needs it) until the reader has applied the record at offset. */
    private void awaitApplied(long offset) throws IOException {
        long deadline = System.nanoTime() + APPLY_TIMEOUT.toNanos();
        try {
            while (appliedUpTo <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("the model log's reader did not reach offset " + offset + " of " + topic
                            + " within " + APPLY_TIMEOUT.toSeconds() + " s");
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the model log", e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        reading = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            reader.join(10_000);
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
