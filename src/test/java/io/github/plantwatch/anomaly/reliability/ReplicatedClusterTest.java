package io.github.plantwatch.anomaly.reliability;

import io.github.plantwatch.anomaly.kafka.EmbeddedKafka;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On a three-broker KRaft cluster (Kafka's test kit, in-process): the topics the service creates are replicated on
 * three brokers with min.insync.replicas 2, and a broker stopped in the middle of a stream loses no record.
 */
class ReplicatedClusterTest {

    private static final int PER_SECOND = 200;

    @Test
    void topicsAreReplicatedAndABrokerLostMidStreamLosesNothing(@TempDir Path dir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("replicated");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(3);
             RunningService service = RunningService.start(kafka.bootstrapServers(), topics, dir, Map.of());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            for (String topic : List.of(topics.input(), topics.output(), topics.deadLetter(), topics.streamState(),
                    topics.models(), topics.feedback())) {
                // some are created by background readers: wait until every broker knows them
                Await.until(topic + " replicated on 3 brokers with min.insync.replicas 2", Duration.ofSeconds(60),
                        () -> replicatedAsCreated(admin, topic));
            }
            assertEquals(200, service.api().train(SensorData.quickTrainingRequest()).statusCode());
            try (FeatureStream stream = FeatureStream.start(kafka.bootstrapServers(), topics.input(), PER_SECOND)) {
                DeliveryAudit.awaitCommitted(kafka.bootstrapServers(), topics.group(), FeatureStream.RECORDS / 3);
                int stopped = kafka.stopLastBroker();
                DeliveryAudit.Report report = DeliveryAudit.audit("broker " + stopped + " of 3 stopped mid-stream",
                        kafka.bootstrapServers(), topics, stream.awaitAcknowledged());
                assertEquals(0, report.lost(), "records lost when a broker went away");
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
