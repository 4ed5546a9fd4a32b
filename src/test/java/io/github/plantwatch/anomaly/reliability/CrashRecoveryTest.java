package io.github.plantwatch.anomaly.reliability;

import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.DuplicateBound;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service in its own JVM is stopped in the middle of a stream, once without warning (SIGKILL) and once politely
 * (SIGTERM), then started again: every input record must end with an output or a dead letter. After SIGKILL the batch
 * published but not committed may be repeated, and nothing more; after SIGTERM the batch in flight finishes and
 * commits, so nothing is.
 */
class CrashRecoveryTest {

    private static final int PER_SECOND = 150;
    private static final int BACKLOG = 1000;
    private static final DuplicateBound SIGKILL_BOUND = DuplicateBound.everyConsumerThread(
            "the batch published but not committed when the process dies");

    private static TestKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void sigkillMidStreamThenRestartLosesNothing(@TempDir Path modelDir) throws Exception {
        DeliveryAudit.Report report = stopMidStreamAndRestart("SIGKILL mid-stream, restart", modelDir, true);
        assertEquals(0, report.lost(), "records lost after SIGKILL");
        SIGKILL_BOUND.assertHolds(report);
    }

    @Test
    void sigtermMidStreamThenRestartRepeatsNothing(@TempDir Path modelDir) throws Exception {
        DeliveryAudit.Report report = stopMidStreamAndRestart("SIGTERM mid-stream, restart", modelDir, false);
        assertEquals(0, report.lost(), "records lost after SIGTERM");
        assertEquals(0, report.duplicates(), "a clean shutdown commits what it published: nothing is repeated");
    }

    /**
     * The service is trained only once a backlog has built up, so it then works through full batches back to back
     * and the stop lands inside one (between its publish and its commit, where a wrong order would lose records)
     * rather than in the idle time between small batches. Both runs use the batch size of the SIGKILL bound.
     */
    private static DeliveryAudit.Report stopMidStreamAndRestart(String fault, Path modelDir, boolean kill)
            throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique(kill ? "sigkill" : "sigterm");
        String brokers = kafka.bootstrapServers();
        Map<String, String> env = ServiceProcess.environment(brokers, topics, modelDir);
        env.putAll(SIGKILL_BOUND.settings());
        env.putAll(ServiceProcess.SHORT_CONSUMER_SESSION);
        try (ServiceProcess service = ServiceProcess.start(kill ? "sigkill" : "sigterm", env);
             FeatureStream stream = FeatureStream.start(brokers, topics.input(), PER_SECOND)) {
            Await.until("a backlog of " + BACKLOG + " records", Await.PATIENCE, () -> stream.written() >= BACKLOG);
            assertEquals(200, service.api().train(SensorData.quickTrainingRequest()).statusCode());
            DeliveryAudit.awaitCommitted(brokers, topics.group(), BACKLOG / 2);
            if (kill) {
                service.kill();
            } else {
                service.terminate();
                assertTrue(service.logText().contains("Anomaly detection worker stopped"),
                        "the service went through its shutdown");
            }
            assertFalse(stream.written() >= FeatureStream.RECORDS,
                    "the service must stop while records are still coming");
            service.restart();
            return DeliveryAudit.audit(fault, brokers, topics, stream.awaitAcknowledged());
        }
    }
}
