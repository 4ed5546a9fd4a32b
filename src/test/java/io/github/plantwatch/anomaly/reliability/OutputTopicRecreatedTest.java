package io.github.plantwatch.anomaly.reliability;

import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.DuplicateBound;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.Readiness;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.StandaloneKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The output topic is deleted while the service streams (the broker creates no topic by itself) and created again a
 * few seconds later, as an operator who recreates a topic would. The batch that cannot publish its results fails; its
 * next attempts fail before writing anything (WrittenTopicsCheck), after growing waits; the stream pauses (readiness
 * DOWN naming the topic) and commits nothing meanwhile; once the topic is back the stream resumes by itself, and every
 * valid input record has its result, either on the deleted topic (committed before it came back) or on the new one.
 */
class OutputTopicRecreatedTest {

    private static final int PER_SECOND = 150;
    private static final int PARTITIONS = 2;
    /** The batch in flight fails within the delivery timeout; short waits between attempts, a pause after three. */
    private static final Map<String, String> SHORT_TIMEOUTS = Map.of("KAFKA_REQUEST_TIMEOUT_MS", "2000",
            "KAFKA_DELIVERY_TIMEOUT_MS", "5000", "KAFKA_BATCH_RETRY_FIRST_DELAY_MS", "200",
            "KAFKA_BATCH_RETRY_MAX_DELAY_MS", "1000", "KAFKA_BATCH_RETRY_PAUSE_AFTER", "3");
    /**
     * The batch in flight when the topic went wrote its dead letters before its results failed; they are written
     * again when it goes through. Its later attempts write nothing.
     */
    private static final DuplicateBound BOUND = DuplicateBound.everyConsumerThread(
            "the batch in flight when the topic went");

    @Test
    void aDeletedOutputTopicPausesTheStreamAndItResumesWhenTheTopicIsBack(@TempDir Path brokerDir,
                                                                         @TempDir Path modelDir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("output-gone");
        try (StandaloneKafka kafka = StandaloneKafka.start(brokerDir);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String brokers = kafka.bootstrapServers();
            Map<String, String> env = ServiceProcess.environment(brokers, topics, modelDir);
            env.put("KAFKA_TOPIC_PARTITIONS", String.valueOf(PARTITIONS));
            env.putAll(SHORT_TIMEOUTS);
            env.putAll(BOUND.settings());
            try (ServiceProcess service = ServiceProcess.startTrained("output-gone", env);
                 FeatureStream stream = FeatureStream.start(brokers, topics.input(), PER_SECOND)) {
                DeliveryAudit.awaitCommitted(brokers, topics.group(), FeatureStream.RECORDS / 4);
                admin.deleteTopics(List.of(topics.output())).all().get(30, TimeUnit.SECONDS);
                assertTrue(stream.written() < FeatureStream.RECORDS, "the topic must go while records still come");

                Readiness.awaitPausedOn(service::management, topics.output(), Duration.ofSeconds(60));
                long committedWhenPaused = DeliveryAudit.committed(brokers, topics.group());
                int deadLettersWhenPaused = DeliveryAudit.readAll(brokers, topics.deadLetter()).size();
                Thread.sleep(3000); // attempts at the failing batch, one a second
                assertEquals(committedWhenPaused, DeliveryAudit.committed(brokers, topics.group()),
                        "records committed while their results had nowhere to go");
                assertEquals(deadLettersWhenPaused, DeliveryAudit.readAll(brokers, topics.deadLetter()).size(),
                        "dead letters written again by attempts that could not publish their results");

                Map<Integer, Long> publishedBeforeDeletion = DeliveryAudit.committedOffsets(brokers, topics.group());
                admin.createTopics(List.of(new NewTopic(topics.output(), PARTITIONS, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
                Readiness.awaitResumed(service::management, Duration.ofSeconds(60));

                DeliveryAudit.Report report = DeliveryAudit.audit("output topic deleted mid-stream, recreated "
                        + "while paused", brokers, topics, stream.awaitAcknowledged(), publishedBeforeDeletion);
                assertEquals(0, report.lost(), "valid records with no result on either topic");
                BOUND.assertHolds(report);
            }
        }
    }
}
