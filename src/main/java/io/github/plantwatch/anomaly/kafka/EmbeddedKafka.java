package io.github.plantwatch.anomaly.kafka;

import kafka.testkit.KafkaClusterTestKit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Exit;
import kafka.testkit.TestKitNodes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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
    /** Deletes the broker's temporary directories: run after the broker has stopped, never while it runs. */
    private final List<Runnable> directoryCleanup;
    private boolean closed;
    private volatile CountDownLatch serviceStopped = new CountDownLatch(0);
    private final Thread exitHook = new Thread(this::closeAtExit, "embedded-kafka-shutdown");

    private EmbeddedKafka(KafkaClusterTestKit cluster, List<Runnable> directoryCleanup) {
        this.cluster = cluster;
        this.directoryCleanup = directoryCleanup;
    }

    public static EmbeddedKafka start() throws Exception {
        // The test kit deletes its temporary directories from JVM shutdown hooks of its own, which run at the same
        // time as the service's: on Ctrl+C the broker's log directory went while the broker still wrote to it (it
        // logged "all log dirs have failed"). The deletions are taken here and run by close(), after the broker;
        // at JVM exit a hook of this class calls close().
        List<Runnable> directoryCleanup = new CopyOnWriteArrayList<>();
        TestKitNodes nodes;
        synchronized (EmbeddedKafka.class) { // the adder is global to the JVM
            Exit.setShutdownHookAdder((name, hook) -> directoryCleanup.add(hook));
            try {
                nodes = new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
            } finally {
                Exit.resetShutdownHookAdder();
            }
        }
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
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
            new EmbeddedKafka(cluster, directoryCleanup).close();
            throw e;
        }
        EmbeddedKafka kafka = new EmbeddedKafka(cluster, directoryCleanup);
        Runtime.getRuntime().addShutdownHook(kafka.exitHook);
        return kafka;
    }

    /**
     * At JVM exit (Ctrl+C, SIGTERM) the broker stops only once {@code serviceStopped} is released (the service's
     * clients commit their last offsets to a running broker), or after 30 s.
     */
    public void stopAtExitAfter(CountDownLatch serviceStopped) {
        this.serviceStopped = serviceStopped;
    }

    private void closeAtExit() {
        try {
            serviceStopped.await(30, TimeUnit.SECONDS);
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka broker did not stop", e);
        }
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

    /** Stops the broker, then deletes its directories; a second call does nothing. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != exitHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook); // a closed broker need not stay referenced
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway and finds the broker closed
            }
        }
        try {
            cluster.close();
        } finally {
            directoryCleanup.forEach(Runnable::run);
        }
    }
}
