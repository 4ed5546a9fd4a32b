package io.github.plantwatch.anomaly.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.DuplicateBound;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A second instance joins the consumer group in the middle of a stream over two partitions, takes a partition, and
 * later leaves (SIGTERM): two rebalances while records flow. Every input record must still end somewhere, and each
 * rebalance may repeat at most one batch of the first instance.
 */
class RebalanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_SECOND = 150;
    /** 40 s of stream: the second instance must join while records still come, however slow its start. */
    private static final int RECORDS = 2 * FeatureStream.RECORDS;
    /**
     * Each rebalance revokes the first instance's partitions while it may hold a batch fetched but not committed; the
     * second instance leaves with SIGTERM, which finishes and commits its batch in flight and scores nothing more.
     */
    private static final DuplicateBound BOUND = DuplicateBound.batches(2,
            "one of the first instance's for each of the two rebalances");

    @Test
    void secondInstanceJoiningAndLeavingMidStreamLosesNothing(@TempDir Path modelDir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("rebalance");
        try (TestKafka kafka = TestKafka.start()) {
            String brokers = kafka.bootstrapServers();
            // both instances share the group and the model directory, as replicas of one deployment do
            Map<String, String> env = ServiceProcess.environment(brokers, topics, modelDir);
            env.put("KAFKA_TOPIC_PARTITIONS", "2");
            // one consumer thread each, so the joining instance gets a partition (with a thread per partition, the
            // first instance's two threads could keep both)
            env.put("KAFKA_CONSUMERS_COUNT", "1");
            env.putAll(BOUND.settings());
            try (ServiceProcess first = ServiceProcess.startTrained("rebalance-first", env)) {
                try (FeatureStream stream = FeatureStream.start(brokers, topics.input(), RECORDS, PER_SECOND)) {
                    DeliveryAudit.awaitCommitted(brokers, topics.group(), RECORDS / 12);
                    try (ServiceProcess second = ServiceProcess.start("rebalance-second", env)) {
                        Await.until("the second instance scoring its partition", Await.PATIENCE,
                                () -> scored(second.api()) > 0);
                        DeliveryAudit.awaitCommitted(brokers, topics.group(), RECORDS / 2);
                        second.terminate();
                    }
                    List<FeatureStream.Sent> sent = stream.awaitAcknowledged();
                    DeliveryAudit.Report report = DeliveryAudit.audit("second instance joins then leaves "
                            + "(2 partitions)", brokers, topics, sent);
                    assertEquals(0, report.lost(), "records lost across the rebalances");
                    BOUND.assertHolds(report);
                }
            }
        }
    }

    private static long scored(ServiceApi api) throws Exception {
        return JSON.readTree(api.get(ServiceApi.STATUS).body()).at("/pipeline/scored").asLong();
    }
}
