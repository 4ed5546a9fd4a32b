package io.github.plantwatch.anomaly.reliability;

import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.DuplicateBound;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.StandaloneKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On a cluster of three KRaft nodes, each a broker and a controller in its own JVM: the topics the service creates are
 * replicated on three brokers with min.insync.replicas 2, and the broker that coordinates the service's consumer group
 * (so also the leader of some of its partitions), SIGKILLed in the middle of a stream, loses no record and repeats at
 * most the batch in flight.
 */
class ReplicatedClusterTest {

    private static final int PER_SECOND = 150;
    /**
     * Leadership and the group coordinator move once the controller has fenced the dead broker; the batch in flight
     * meanwhile waits for its sends or commit (within the client timeouts) or fails and is read again.
     */
    private static final DuplicateBound BOUND = DuplicateBound.everyConsumerThread(
            "the batch in flight when the broker dies");

    @Test
    void topicsAreReplicatedAndABrokerKilledMidStreamLosesNothing(@TempDir Path brokerDir, @TempDir Path modelDir)
            throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("replicated");
        try (StandaloneKafka kafka = StandaloneKafka.startCluster(brokerDir, 3);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, String> env = ServiceProcess.environment(kafka.bootstrapServers(), topics, modelDir);
            env.putAll(BOUND.settings());
            try (ServiceProcess service = ServiceProcess.startTrained("replicated", env)) {
                for (String topic : List.of(topics.input(), topics.output(), topics.deadLetter(),
                        topics.streamState(), topics.models(), topics.feedback())) {
                    // some are created by background readers: wait until every broker knows them
                    Await.until(topic + " replicated on 3 brokers with min.insync.replicas 2", Duration.ofSeconds(60),
                            () -> replicatedAsCreated(admin, topic));
                }
                try (FeatureStream stream = FeatureStream.start(kafka.bootstrapServers(), topics.input(),
                        PER_SECOND)) {
                    DeliveryAudit.awaitCommitted(kafka.bootstrapServers(), topics.group(), FeatureStream.RECORDS / 3);
                    int coordinator = admin.describeConsumerGroups(List.of(topics.group())).all()
                            .get(30, TimeUnit.SECONDS).get(topics.group()).coordinator().id();
                    kafka.kill(coordinator);
                    DeliveryAudit.Report report = DeliveryAudit.audit("broker " + coordinator + " of 3 (the group "
                            + "coordinator) SIGKILLed mid-stream", kafka.bootstrapServers(), topics,
                            stream.awaitAcknowledged());
                    assertEquals(0, report.lost(), "records lost when a broker died");
                    BOUND.assertHolds(report);
                }
            }
        }
    }

    private static boolean replicatedAsCreated(Admin admin, String topic) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            return description.partitions().stream().allMatch(partition -> partition.replicas().size() == 3)
                    && "2".equals(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
        } catch (Exception e) {
            return false; // not created or not known to the broker asked yet
        }
    }
}
