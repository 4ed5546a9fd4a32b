package io.github.plantwatch.anomaly.support;

import io.github.plantwatch.anomaly.kafka.EmbeddedKafka;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real Kafka broker the integration tests talk to, chosen in one place: an external broker when
 * KAFKA_BOOTSTRAP_SERVERS is set, Testcontainers when a Docker engine answers, else the in-process KRaft broker.
 */
public final class TestKafka implements AutoCloseable {

    private final String bootstrapServers;
    private final AutoCloseable owned;

    private TestKafka(String bootstrapServers, AutoCloseable owned) {
        this.bootstrapServers = bootstrapServers;
        this.owned = owned;
    }

    public static TestKafka start() throws Exception {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            return new TestKafka(external, null);
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer("apache/kafka:3.9.1");
            container.start();
            return new TestKafka(container.getBootstrapServers(), container);
        }
        EmbeddedKafka embedded = EmbeddedKafka.start();
        return new TestKafka(embedded.bootstrapServers(), embedded);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws Exception {
        if (owned != null) {
            owned.close();
        }
    }
}
