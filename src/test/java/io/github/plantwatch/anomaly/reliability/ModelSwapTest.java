package io.github.plantwatch.anomaly.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.plantwatch.anomaly.support.DeliveryAudit;
import io.github.plantwatch.anomaly.support.FeatureStream;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * New models are trained over HTTP and swapped in while records flow: nothing is lost or repeated, both model sets
 * score part of the stream, and each asset's results switch from the old set to the new one once, never back.
 */
class ModelSwapTest {

    private static final int PER_SECOND = 150;

    @Test
    void retrainingMidStreamLosesNothingAndSwitchesOnce(@TempDir Path modelDir) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("swap");
        try (TestKafka kafka = TestKafka.start()) {
            String brokers = kafka.bootstrapServers();
            try (ServiceProcess service = ServiceProcess.startTrained("swap",
                    ServiceProcess.environment(brokers, topics, modelDir))) {
                try (FeatureStream stream = FeatureStream.start(brokers, topics.input(), PER_SECOND)) {
                    DeliveryAudit.awaitCommitted(brokers, topics.group(), FeatureStream.RECORDS / 5);
                    HttpResponse<String> retrained = service.api().train(SensorData.trainingRequest(
                            new SensorData(5).healthyRows(300), "\"lstm_window\": 5, \"lstm_epochs\": 2"));
                    assertEquals(200, retrained.statusCode(), retrained.body());
                    assertTrue(stream.written() < FeatureStream.RECORDS, "the new models must arrive while records still flow");
                    List<FeatureStream.Sent> sent = stream.awaitAcknowledged();
                    DeliveryAudit.Report report = DeliveryAudit.audit("models retrained over HTTP and swapped in",
                            brokers, topics, sent);
                    assertEquals(0, report.lost(), "records lost across the model swap");
                    assertEquals(0, report.duplicates(), "a swap does not make the service read anything again");
                    assertSwitchedOnceFromOneToTwo(report);
                }
            }
        }
    }

    /** Per asset (one partition each, read in order), model_version goes 1...1 2...2. */
    private static void assertSwitchedOnceFromOneToTwo(DeliveryAudit.Report report) {
        Map<String, Long> lastVersion = new HashMap<>();
        Map<Long, Integer> perVersion = new HashMap<>();
        for (int i = 0; i < report.outputRecords().size(); i++) {
            JsonNode result = report.output(i);
            String asset = new String(report.outputRecords().get(i).key(), StandardCharsets.UTF_8);
            long version = result.get("model_version").asLong();
            perVersion.merge(version, 1, Integer::sum);
            long previous = lastVersion.getOrDefault(asset, 1L);
            assertTrue(version >= previous, asset + " went back from model v" + previous + " to v" + version);
            lastVersion.put(asset, version);
        }
        System.out.println("RELIABILITY | swap: results per model version " + perVersion);
        assertTrue(perVersion.getOrDefault(1L, 0) > 0 && perVersion.getOrDefault(2L, 0) > 0,
                "both model sets scored part of the stream: " + perVersion);
    }
}
