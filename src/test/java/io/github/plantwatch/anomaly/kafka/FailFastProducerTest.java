package io.github.plantwatch.anomaly.kafka;

import io.github.plantwatch.anomaly.support.ServiceWithEnvironment;
import io.github.plantwatch.anomaly.support.StandaloneKafka;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A topic missing when a batch reaches its sends (deleted after WrittenTopicsCheck passed it): against a real broker
 * that creates no topic by itself, the first record waits max.block.ms as Kafka's producer does, the batch's other
 * records fail at once instead of waiting in turn, and once the topic is back and that time has passed, sends go
 * through again. Every kafka endpoint of the service gets its producers from this factory.
 */
class FailFastProducerTest {

    private static final long MAX_BLOCK_MS = 1500;
    private static final int BATCH = 5;

    @Test
    void aMissingTopicCostsABatchOneWaitNotOnePerRecord(@TempDir Path brokerDir) throws Exception {
        try (StandaloneKafka kafka = StandaloneKafka.start(brokerDir);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
             Producer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
            long started = System.nanoTime();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                sent.add(producer.send(record("not-yet", i)));
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            for (int i = 0; i < BATCH; i++) {
                ExecutionException failure = assertThrows(ExecutionException.class, sent.get(i)::get);
                assertInstanceOf(TimeoutException.class, failure.getCause());
                assertEquals(i > 0, failure.getCause().getMessage().contains("failing at once"),
                        "record " + i + ": " + failure.getCause().getMessage());
            }
            assertTrue(elapsedMs < 2 * MAX_BLOCK_MS, "the batch's sends took " + elapsedMs + " ms: one wait of "
                    + MAX_BLOCK_MS + " ms, not " + BATCH);
            AtomicReference<Exception> reported = new AtomicReference<>();
            Future<RecordMetadata> withCallback = producer.send(record("not-yet", BATCH), (m, e) -> reported.set(e));
            assertTrue(withCallback.isDone(), "a send inside the wait fails at once");
            assertInstanceOf(TimeoutException.class, reported.get(), "the callback hears of it too");

            admin.createTopics(List.of(new NewTopic("not-yet", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Thread.sleep(MAX_BLOCK_MS);
            assertEquals("not-yet", producer.send(record("not-yet", 0)).get(30, TimeUnit.SECONDS).topic(),
                    "the topic is back and the wait has passed: sends go through");
        }
    }

    @Test
    void everyKafkaEndpointOfTheServiceUsesTheFactory() throws Exception {
        try (ServiceWithEnvironment service = ServiceWithEnvironment.start(Map.of(), Map.of())) {
            List<KafkaEndpoint> endpoints = service.context().getEndpoints().stream()
                    .filter(KafkaEndpoint.class::isInstance).map(KafkaEndpoint.class::cast).toList();
            assertFalse(endpoints.isEmpty());
            endpoints.forEach(endpoint -> assertInstanceOf(FailFastClientFactory.class,
                    endpoint.getKafkaClientFactory(), endpoint.getEndpointUri()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Producer<byte[], byte[]> producer(String brokers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(MAX_BLOCK_MS));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new FailFastClientFactory().getProducer(properties);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int i) {
        return new ProducerRecord<>(topic, ("key-" + i).getBytes(StandardCharsets.UTF_8),
                ("value-" + i).getBytes(StandardCharsets.UTF_8));
    }
}
