package io.github.plantwatch.anomaly.kafka;

import io.github.plantwatch.anomaly.support.LogCapture;
import io.github.plantwatch.anomaly.support.ServiceWithEnvironment;
import io.github.plantwatch.anomaly.support.TestKeystores;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.main.BaseMainSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KAFKA_SECURITY_* / KAFKA_SASL_* / KAFKA_SSL_* variables, through application.properties, reach the kafka
 * component and from there the route's consumer, both its producers and the topic creation's admin client; unset,
 * they change nothing; and the secrets among them never appear in Camel's start-up logs.
 */
class KafkaSecurityConfigurationTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"svc\" password=\"jaas-secret-31f4\";";
    private static final String STORE_PASSWORD = "store-secret-77a0";
    private static final String TOKEN = "training-secret-0e6f93";
    private static final List<String> SECRETS = List.of("jaas-secret-31f4", STORE_PASSWORD, TOKEN);

    @TempDir
    static Path directory;
    private static Map<String, String> saslSsl;

    /** Real keystores: the producers load them when the context starts. */
    @BeforeAll
    static void keystores() throws Exception {
        TestKeystores stores = TestKeystores.create(directory, STORE_PASSWORD);
        saslSsl = Map.ofEntries(
                Map.entry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
                Map.entry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
                Map.entry("KAFKA_SASL_JAAS_CONFIG", JAAS),
                Map.entry("KAFKA_SSL_TRUSTSTORE_LOCATION", stores.truststore().toString()),
                Map.entry("KAFKA_SSL_TRUSTSTORE_PASSWORD", STORE_PASSWORD),
                Map.entry("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"),
                Map.entry("KAFKA_SSL_KEYSTORE_LOCATION", stores.keystore().toString()),
                Map.entry("KAFKA_SSL_KEYSTORE_PASSWORD", STORE_PASSWORD),
                Map.entry("KAFKA_SSL_KEYSTORE_TYPE", "PKCS12"),
                Map.entry("TRAINING_API_TOKEN", TOKEN));
    }

    @Test
    void securityVariablesReachTheConsumerBothProducersAndTheAdminClient() throws Exception {
        try (LogCapture log = LogCapture.of(BaseMainSupport.class);
             ServiceWithEnvironment service = ServiceWithEnvironment.start(saslSsl, Map.of())) {
            Map<String, String> expected = Map.of("security.protocol", "SASL_SSL",
                    "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", JAAS,
                    "ssl.truststore.location", saslSsl.get("KAFKA_SSL_TRUSTSTORE_LOCATION"),
                    "ssl.truststore.password", STORE_PASSWORD,
                    "ssl.truststore.type", "PKCS12",
                    "ssl.keystore.location", saslSsl.get("KAFKA_SSL_KEYSTORE_LOCATION"),
                    "ssl.keystore.password", STORE_PASSWORD,
                    "ssl.endpoint.identification.algorithm", "https");
            List<Properties> clients = clientProperties(service.context());
            assertEquals(7, clients.size(), "two consumers (scoring, alerts) and five producers (results, dead "
                    + "letters, episodes, stream state, undeliverable alerts)");
            for (Properties client : clients) {
                expected.forEach((key, value) -> assertEquals(value, client.getProperty(key), key));
            }
            Map<String, Object> admin = TopicProvisioner.adminConfig(component(service.context()), "broker:9093");
            expected.forEach((key, value) -> assertEquals(value, String.valueOf(admin.get(key)), "admin " + key));
            assertEquals("broker:9093", admin.get("bootstrap.servers"));

            String logs = String.join("\n", log.lines());
            assertTrue(logs.contains("camel.component.kafka.saslJaasConfig = xxxxxx"), logs);
            SECRETS.forEach(secret -> assertFalse(logs.contains(secret), "a secret in the start-up logs"));
        }
    }

    @Test
    void unsetVariablesLeaveKafkasDefaults() throws Exception {
        Map<String, String> unset = new HashMap<>();
        saslSsl.keySet().forEach(name -> unset.put(name, null));
        try (ServiceWithEnvironment service = ServiceWithEnvironment.start(unset, Map.of())) {
            for (Properties client : clientProperties(service.context())) {
                assertEquals("PLAINTEXT", client.getProperty("security.protocol"));
                client.stringPropertyNames().forEach(key -> assertFalse(
                        key.startsWith("sasl.") || key.startsWith("ssl."), "nothing of SASL or TLS is passed: " + key));
            }
            KafkaConfiguration kafka = component(service.context());
            assertNull(kafka.getSslKeyPassword(), "an unset key password stays unset, not empty");
            assertEquals(Map.of("bootstrap.servers", "broker:9092"), TopicProvisioner.adminConfig(kafka,
                    "broker:9092").entrySet().stream().filter(e -> !e.getKey().equals("security.protocol"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        }
    }

    /** What the route's three kafka endpoints would hand to their Kafka clients. */
    private static List<Properties> clientProperties(CamelContext context) {
        List<Properties> clients = new ArrayList<>();
        for (var endpoint : context.getEndpoints()) {
            if (endpoint instanceof KafkaEndpoint kafka) {
                boolean consumer = kafka.getEndpointUri().contains("groupId");
                clients.add(consumer ? kafka.getConfiguration().createConsumerProperties()
                        : kafka.getConfiguration().createProducerProperties());
            }
        }
        return clients;
    }

    private static KafkaConfiguration component(CamelContext context) {
        return context.getComponent("kafka", KafkaComponent.class).getConfiguration();
    }
}
