package io.github.plantwatch.anomaly.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SensorSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void playsSeedFormatMessagesKeyedByAssetIntoARealBroker() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            SimulatorOptions options = SimulatorOptions.parse(new String[]{"--bootstrap-servers",
                    kafka.bootstrapServers(), "--topic", "sim-test", "--rate", "100", "--assets", "4",
                    "--duration-seconds", "2", "--healthy-seconds", "0", "--faults-per-minute", "600",
                    "--faults", "imbalance,sensor"});
            SensorSimulator simulator = new SensorSimulator(options);
            simulator.run();
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(kafka.bootstrapServers(), "sim-test",
                    (int) simulator.sent(), Duration.ofSeconds(30));
            assertEquals(simulator.sent(), records.size());
            assertTrue(records.size() >= 150, "about 200 messages in 2 s at 100/s: " + records.size());
            Set<String> assets = new HashSet<>();
            long faulty = 0;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                JsonNode message = JSON.readTree(record.value());
                assertEquals(message.get("asset_id").asText(), new String(record.key(), StandardCharsets.UTF_8));
                assertEquals(SensorSimulator.featureNames(), List.copyOf(fieldNames(message.get("features"))));
                assets.add(message.get("asset_id").asText());
                // healthy: rms below 0.8 and mean near 0; imbalance doubles rms, a sensor fault shifts the mean
                if (message.at("/features/rms").asDouble() > 0.8 || message.at("/features/mean").asDouble() > 0.5) {
                    faulty++;
                }
            }
            assertEquals(Set.of("PUMP-01", "FAN-02", "MOTOR-03", "PUMP-04"), assets);
            assertTrue(faulty > 0, "faults were injected at 600 per minute");
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void refusesUnknownOptionsAndFaults() {
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse(new String[]{"--speed", "3"}));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.parse(new String[]{"--faults", "bearing,gremlins"}));
        assertTrue(error.getMessage().contains("gremlins"));
    }
}
