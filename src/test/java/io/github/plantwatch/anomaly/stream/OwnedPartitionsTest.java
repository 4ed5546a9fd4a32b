package io.github.plantwatch.anomaly.stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The route's first step against a real Kafka consumer's assignment (assign() needs no broker): records of partitions
 * the consumer no longer owns leave the batch, the others stay in order.
 */
class OwnedPartitionsTest {

    private static final String TOPIC = "extracted-features";

    @Test
    void leavesOutTheRecordsOfPartitionsTheConsumerNoLongerOwns() throws Exception {
        try (CamelContext camel = new DefaultCamelContext();
             KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(new TopicPartition(TOPIC, 1)));
            Exchange batch = batch(camel, consumer, new int[][]{{0, 10}, {1, 20}, {0, 11}, {1, 21}});

            new OwnedPartitions().process(batch);

            assertEquals(List.of("1/20", "1/21"), sources(batch));
        }
    }

    @Test
    void keepsEveryRecordWhenAllItsPartitionsAreOwned() throws Exception {
        try (CamelContext camel = new DefaultCamelContext();
             KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1)));
            Exchange batch = batch(camel, consumer, new int[][]{{0, 10}, {1, 20}});

            new OwnedPartitions().process(batch);

            assertEquals(List.of("0/10", "1/20"), sources(batch));
        }
    }

    @Test
    void keepsTheBatchWhenTheConsumerIsClosed() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            KafkaConsumer<byte[], byte[]> consumer = consumer();
            consumer.assign(List.of(new TopicPartition(TOPIC, 1)));
            Exchange batch = batch(camel, consumer, new int[][]{{0, 10}, {1, 20}});
            consumer.close();

            new OwnedPartitions().process(batch);

            assertEquals(List.of("0/10", "1/20"), sources(batch), "its commit fails as it would have");
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A polled batch as camel-kafka hands it to the route: one exchange per record, with its commit handle. */
    private static Exchange batch(CamelContext camel, KafkaConsumer<byte[], byte[]> consumer, int[][] records) {
        List<Exchange> exchanges = new ArrayList<>();
        for (int[] record : records) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setHeader(KafkaConstants.TOPIC, TOPIC);
            exchange.getMessage().setHeader(KafkaConstants.PARTITION, record[0]);
            exchange.getMessage().setHeader(KafkaConstants.OFFSET, (long) record[1]);
            exchange.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, new DefaultKafkaManualSyncCommit(
                    new KafkaManualCommitFactory.CamelExchangePayload(exchange, consumer, "consumer-1", null),
                    new KafkaManualCommitFactory.KafkaRecordPayload(new TopicPartition(TOPIC, record[0]), record[1],
                            5_000), null));
            exchanges.add(exchange);
        }
        Exchange batch = new DefaultExchange(camel);
        batch.getMessage().setBody(exchanges);
        return batch;
    }

    private static List<String> sources(Exchange batch) {
        List<String> sources = new ArrayList<>();
        for (Object record : batch.getMessage().getBody(List.class)) {
            Exchange exchange = (Exchange) record;
            sources.add(exchange.getMessage().getHeader(KafkaConstants.PARTITION) + "/"
                    + exchange.getMessage().getHeader(KafkaConstants.OFFSET));
        }
        return sources;
    }
}
