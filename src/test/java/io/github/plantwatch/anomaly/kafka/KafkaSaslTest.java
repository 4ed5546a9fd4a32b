package io.github.plantwatch.anomaly.kafka;

import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.StandaloneKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service, configured only through environment variables, against a broker whose listener speaks nothing but
 * SASL/SCRAM-SHA-256: it creates its topics, consumes and publishes through that listener, and its log holds none
 * of the secrets it was given. With a wrong password it does not start, and says why without the password.
 */
class KafkaSaslTest {

    private static final String USER = "anomaly-service";
    private static final String PASSWORD = "scram-secret-4d7e21";
    private static final String TOKEN = "training-token-8b3f5a7c91";
    private static final int RECORDS = 400;

    @Test
    void theServiceWorksThroughAScramListenerAndLogsNoSecret(@TempDir Path brokerDir, @TempDir Path modelDir)
            throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("sasl");
        try (StandaloneKafka kafka = StandaloneKafka.startWithScram(brokerDir, USER, PASSWORD)) {
            Map<String, String> env = ServiceProcess.environment(kafka.secureBootstrapServers(), topics, modelDir);
            env.putAll(scram(PASSWORD));
            env.put("TRAINING_API_TOKEN", TOKEN);
            env.put("METRICS_CONSUMER_LAG_PERIOD_MS", "500");
            String log;
            try (ServiceProcess service = ServiceProcess.start("sasl", env)) {
                assertEquals(401, service.api().train(SensorData.quickTrainingRequest()).statusCode(),
                        "TRAINING_API_TOKEN from the environment is required");
                assertEquals(200, service.api().train(SensorData.quickTrainingRequest(),
                        "Authorization", "Bearer " + TOKEN).statusCode());
                // the test's own clients use the broker's PLAINTEXT listener
                try (FeatureStream stream = FeatureStream.start(kafka.bootstrapServers(), topics.input(), RECORDS,
                        200)) {
                    DeliveryAudit.Report report = DeliveryAudit.audit("SASL_PLAINTEXT / SCRAM-SHA-256 listener",
                            kafka.bootstrapServers(), topics, stream.awaitAcknowledged());
                    assertEquals(0, report.lost());
                }
                // the lag gauge's admin client logs in like the route's clients: a real figure, not -1
                Await.until("a real consumer lag figure through SCRAM", Duration.ofSeconds(30),
                        () -> service.consumerLag() == 0);
                log = service.logText();
            }
            assertFalse(log.contains(PASSWORD), "the SCRAM password in the log");
            assertFalse(log.contains(TOKEN), "the training token in the log");
            assertTrue(log.contains("Created topic " + topics.input()), "topics created through SCRAM");

            Map<String, String> wrong = ServiceProcess.environment(kafka.secureBootstrapServers(),
                    RunningService.Topics.unique("sasl-wrong"), modelDir);
            wrong.putAll(scram("wrong-password-0000"));
            String refused = ServiceProcess.startExpectingExit("sasl-wrong", wrong);
            assertTrue(refused.contains("Authentication failed"), "the start fails on the login");
            assertFalse(refused.contains("wrong-password-0000"), "the password in the log");
        }
    }

    private static Map<String, String> scram(String password) {
        return Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"" + USER + "\" password=\"" + password + "\";");
    }
}
