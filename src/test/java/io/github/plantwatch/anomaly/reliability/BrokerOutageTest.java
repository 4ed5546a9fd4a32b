package io.github.plantwatch.anomaly.reliability;

import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.DuplicateBound;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.StandaloneKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker dies in the middle of a stream and stays away longer than every client timeout of the service, then
 * comes back on the same address with its data. The service is not restarted: it must recover by itself, account for
 * every input record, and repeat at most the batch it was working on when the broker died.
 */
class BrokerOutageTest {

    private static final int PER_SECOND = 150;
    /**
     * Short client timeouts (see application.properties) so the outage outlasts them within a short test, and short
     * waits between attempts at a failed batch, so the stream comes back soon after the broker does.
     */
    private static final Map<String, String> SHORT_TIMEOUTS = Map.of("KAFKA_REQUEST_TIMEOUT_MS", "3000",
            "KAFKA_DELIVERY_TIMEOUT_MS", "6000", "KAFKA_MAX_BLOCK_MS", "6000", "KAFKA_COMMIT_TIMEOUT_MS", "3000",
            "KAFKA_BATCH_RETRY_FIRST_DELAY_MS", "200", "KAFKA_BATCH_RETRY_MAX_DELAY_MS", "2000");
    /** The broker dies under one batch at most; the consumer reads nothing while it is away. */
    private static final DuplicateBound BOUND = DuplicateBound.everyConsumerThread(
            "the batch in flight when the broker dies");
    /** Over twice the longest client timeout: every request in flight when the broker died has failed. */
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @Test
    void brokerDownLongerThanTheClientTimeoutsLosesNothing(@TempDir Path brokerDir, @TempDir Path modelDir)
            throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("outage");
        try (StandaloneKafka kafka = StandaloneKafka.start(brokerDir)) {
            String brokers = kafka.bootstrapServers();
            Map<String, String> env = ServiceProcess.environment(brokers, topics, modelDir);
            env.putAll(SHORT_TIMEOUTS);
            env.putAll(BOUND.settings());
            // the consumer that gave up on the failed batch could not leave its group while the broker was away
            env.putAll(ServiceProcess.SHORT_CONSUMER_SESSION);
            try (ServiceProcess service = ServiceProcess.startTrained("outage", env)) {
                try (FeatureStream stream = FeatureStream.start(brokers, topics.input(), PER_SECOND)) {
                    DeliveryAudit.awaitCommitted(brokers, topics.group(), FeatureStream.RECORDS / 6);
                    kafka.kill();
                    Thread.sleep(OUTAGE.toMillis());
                    kafka.launch();
                    List<FeatureStream.Sent> sent = stream.awaitAcknowledged();
                    DeliveryAudit.Report report = DeliveryAudit.audit("broker killed for " + OUTAGE.toSeconds()
                            + " s, restarted", brokers, topics, sent);
                    assertEquals(0, report.lost(), "records lost across the broker outage");
                    BOUND.assertHolds(report);
                    assertTrue(service.isAlive(), "the service recovers by itself");
                    System.out.println("RELIABILITY | outage: consumer reconnections to re-read a failed batch: "
                            + service.logText().lines().filter(line -> line.contains("Reconnecting Kafka consumer"))
                            .count());
                }
            }
        }
    }
}
