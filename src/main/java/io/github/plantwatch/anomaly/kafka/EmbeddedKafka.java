package io.github.plantwatch.anomaly.kafka;

import kafka.testkit.KafkaClusterTestKit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import kafka.testkit.TestKitNodes;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in this JVM, on 127.0.0.1 and a free port, with its data in a temporary
 * directory: for running the service on a machine without Kafka (README) and for the tests. Not for production.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * A new group's first rebalance waits this long for more members (Kafka's default: 3,000 ms): the service's
     * consumer threads, started one after the other, join its first generation together, so a start costs no
     * rebalance (which could publish a batch twice).
     */
    public static final int INITIAL_REBALANCE_DELAY_MS = 500;

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", String.valueOf(INITIAL_REBALANCE_DELAY_MS))
                .setConfigProp("num.partitions", "1")
                .build();
        try {
            cluster.format();
            cluster.startup();
            awaitBroker(cluster.bootstrapServers());
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new EmbeddedKafka(cluster);
    }

    /** The test kit's own wait needs JUnit on the class path; asking the broker for the cluster does not. */
    private static void awaitBroker(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("embedded Kafka broker not ready after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
