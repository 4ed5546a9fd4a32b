package io.github.plantwatch.anomaly.kafka;

import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Properties;

/**
 * The kafka component's clients: camel-kafka's own, each producer wrapped in a {@link FailFastProducer} (a batch
 * whose topic is gone fails after one max.block.ms, not one per record).
 */
public final class FailFastClientFactory extends DefaultKafkaClientFactory {

    /** Kafka's own default of max.block.ms, when the producer's properties do not set it. */
    private static final long KAFKA_MAX_BLOCK_MS = 60_000;

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Producer getProducer(Properties kafkaProps) {
        Object maxBlock = kafkaProps.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        return new FailFastProducer<>(super.getProducer(kafkaProps),
                maxBlock == null ? KAFKA_MAX_BLOCK_MS : Long.parseLong(maxBlock.toString()));
    }
}
