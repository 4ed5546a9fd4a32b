package io.github.plantwatch.anomaly.kafka;

import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.StandaloneKafka;
import io.github.plantwatch.anomaly.support.TestKeystores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service, configured only through environment variables, against a broker listener that speaks nothing but TLS,
 * with a certificate the test makes: every client of the service (topic creation, consumers, producers, the lag
 * gauge's admin client) completes a real handshake, checks the broker's certificate against the truststore it was
 * given, and the stream is scored with nothing lost. A truststore that does not hold the broker's certificate stops
 * the start.
 */
class KafkaTlsTest {

    private static final String STORE_PASSWORD = "tls-store-secret-5e9a";
    private static final int RECORDS = 400;

    @TempDir
    static Path brokerDir;
    private static TestKeystores brokerKeys;
    private static StandaloneKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        brokerKeys = TestKeystores.create(Files.createDirectories(brokerDir.resolve("keys")), STORE_PASSWORD);
        kafka = StandaloneKafka.startWithTls(brokerDir, brokerKeys);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void theServiceScoresThroughATlsOnlyListenerAndReadsItsLag(@TempDir Path modelDir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("tls");
        Map<String, String> env = ServiceProcess.environment(kafka.secureBootstrapServers(), topics, modelDir);
        env.putAll(trusting(brokerKeys.truststore()));
        env.put("METRICS_CONSUMER_LAG_PERIOD_MS", "500");
        try (ServiceProcess service = ServiceProcess.startTrained("tls", env)) {
            // the test's own clients use the broker's PLAINTEXT listener
            try (FeatureStream stream = FeatureStream.start(kafka.bootstrapServers(), topics.input(), RECORDS, 200)) {
                DeliveryAudit.Report report = DeliveryAudit.audit("TLS-only listener", kafka.bootstrapServers(),
                        topics, stream.awaitAcknowledged());
                assertEquals(0, report.lost());
            }
            Await.until("a real consumer lag figure through TLS", Duration.ofSeconds(30),
                    () -> service.consumerLag() == 0);
            String log = service.logText();
            assertTrue(log.contains("Created topic " + topics.input()), "topics created through TLS");
            assertFalse(log.contains(STORE_PASSWORD), "the truststore password in the log");
        }
    }

    @Test
    void aBrokerCertificateTheTruststoreDoesNotHoldStopsTheStart(@TempDir Path strangerDir) throws Exception {
        TestKeystores stranger = TestKeystores.create(strangerDir, STORE_PASSWORD);
        Map<String, String> env = ServiceProcess.environment(kafka.secureBootstrapServers(),
                RunningService.Topics.unique("tls-untrusted"), strangerDir.resolve("models"));
        env.putAll(trusting(stranger.truststore()));
        String refused = ServiceProcess.startExpectingExit("tls-untrusted", env);
        assertTrue(refused.contains("SSL handshake failed"), "the start fails on the handshake");
    }

    /** The variables of application.properties that make every client speak TLS and trust {@code truststore}. */
    private static Map<String, String> trusting(Path truststore) {
        return Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", truststore.toString(),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", STORE_PASSWORD,
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
    }
}
