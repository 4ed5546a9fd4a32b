package io.github.plantwatch.anomaly.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.store.ModelSetFormat;
import io.github.plantwatch.anomaly.support.Await;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.ServiceProcess;
import io.github.plantwatch.anomaly.support.TestKafka;
import io.github.plantwatch.anomaly.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model sets shared through the model log, with instances in JVMs of their own against a real broker, each with a
 * model directory of its own (nothing shared but Kafka): a set trained on one instance is in service on every one
 * within 5 s; an instance started later has it before it consumes; two trainings at once on two instances get
 * two versions, and every instance ends with the same one; a record that reuses a version in service is ignored
 * by every instance alike; a threshold recalibrated on the scores in service, by whichever instance completes its
 * sample first, is in service on every instance.
 */
class ModelPropagationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
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
    void aSetTrainedOnOneInstanceIsInServiceOnEveryInstance(@TempDir Path dirs) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("propagation");
        String brokers = kafka.bootstrapServers();
        List<ServiceProcess> instances = new ArrayList<>();
        try {
            startInstances(instances, "propagation", topics, dirs, Map.of());
            HttpResponse<String> trained = instances.get(0).api().train(SensorData.quickTrainingRequest());
            assertEquals(200, trained.statusCode(), trained.body());
            long version = JSON.readTree(trained.body()).get("model_version").asLong();
            for (ServiceProcess instance : instances) {
                Await.until("the trained set in service on every instance", Duration.ofSeconds(5),
                        () -> servesGlobal(instance.api(), version));
            }

            instances.add(ServiceProcess.start("propagation-late",
                    ServiceProcess.environment(brokers, topics, dirs.resolve("models-late"))));
            JsonNode late = status(instances.get(2).api());
            assertEquals(version, late.get("model_version").asLong(), "read from the log before it serves: " + late);

            try (KafkaProducer<byte[], byte[]> producer = TopicReader.producer(brokers)) {
                SensorData data = new SensorData(8);
                for (int i = 0; i < 60; i++) {
                    String asset = "PUMP-" + (i % 6);
                    TopicReader.send(producer, topics.input(), asset, SensorData.message(asset, "VIB-1",
                            data.healthy(i), "2026-01-01T00:00:00Z").getBytes(StandardCharsets.UTF_8));
                }
            }
            // the late instance's join is a rebalance: records scored by both owners are duplicates (at least once)
            Set<String> judged = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (judged.size() < 60 && System.nanoTime() < deadline) {
                judged.clear();
                for (ConsumerRecord<byte[], byte[]> result : TopicReader.read(brokers, topics.output(),
                        Integer.MAX_VALUE, Duration.ofSeconds(5))) { // all there is after 5 s
                    JsonNode verdict = JSON.readTree(result.value());
                    assertEquals(version, verdict.get("model_version").asLong());
                    judged.add(verdict.get("result_id").asText());
                }
            }
            assertEquals(60, judged.size(), "a verdict for every record");

            // two trainings of the same scope at once, on two instances: two versions, one winner everywhere
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> train(instances.get(0)));
            CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> train(instances.get(1)));
            long v1 = JSON.readTree(first.get().body()).get("model_version").asLong();
            long v2 = JSON.readTree(second.get().body()).get("model_version").asLong();
            assertNotEquals(v1, v2, first.get().body() + " / " + second.get().body());
            assertTrue(v1 > version && v2 > version);
            long newest = Math.max(v1, v2);
            for (ServiceProcess instance : instances) {
                Await.until("the newest set on every instance", Duration.ofSeconds(5),
                        () -> servesGlobal(instance.api(), newest));
            }
            Set<Long> versions = new HashSet<>();
            for (ServiceProcess instance : instances) {
                versions.add(status(instance.api()).get("model_version").asLong());
            }
            assertEquals(Set.of(newest), versions);

            // the rule every instance applies in log order: a version already taken is ignored, the next one wins
            List<ConsumerRecord<byte[], byte[]>> log = TopicReader.read(brokers, topics.models(), 3,
                    Duration.ofSeconds(30));
            ModelSet last = ModelSetFormat.decode(log.getLast().value());
            try (KafkaProducer<byte[], byte[]> producer = TopicReader.producer(brokers)) {
                TopicReader.send(producer, topics.models(), "global",
                        ModelSetFormat.encode(last.as(last.scope(), newest)));
                TopicReader.send(producer, topics.models(), "global",
                        ModelSetFormat.encode(last.as(last.scope(), newest + 1)));
            }
            for (ServiceProcess instance : instances) {
                Await.until("the next version on every instance", Duration.ofSeconds(5),
                        () -> servesGlobal(instance.api(), newest + 1));
                assertTrue(instance.logText().contains("global v" + newest + " ignored, v" + newest + " came first"),
                        "a second set under a version in service is ignored, and said so");
            }
        } finally {
            for (ServiceProcess instance : instances) {
                instance.close();
            }
        }
    }

    @Test
    void aThresholdRecalibratedInServiceIsInServiceOnEveryInstance(@TempDir Path dirs) throws Exception {
        RunningService.Topics topics = RunningService.Topics.unique("recalibration");
        String brokers = kafka.bootstrapServers();
        List<ServiceProcess> instances = new ArrayList<>();
        try {
            startInstances(instances, "recalibration", topics, dirs, Map.of("SCORING_RECALIBRATION_RECORDS", "100",
                    "SCORING_BASELINE_NORMAL_HALF_LIFE", "5")); // each stream's first 10 records left out
            HttpResponse<String> response = instances.get(0).api().train(SensorData.quickTrainingRequest());
            assertEquals(200, response.statusCode(), response.body());
            long trained = JSON.readTree(response.body()).get("model_version").asLong();

            try (KafkaProducer<byte[], byte[]> producer = TopicReader.producer(brokers)) {
                SensorData data = new SensorData(8);
                for (int i = 0; i < 600; i++) { // both instances' partitions: each sees far more than 100
                    String asset = "PUMP-" + (i % 6);
                    TopicReader.send(producer, topics.input(), asset, SensorData.message(asset, "VIB-1",
                            data.healthy(i / 6), "2026-01-01T00:00:00Z").getBytes(StandardCharsets.UTF_8));
                }
            }
            List<ModelSet> log = new ArrayList<>();
            Await.until("a recalibrated set in the model log", Duration.ofSeconds(60), () -> {
                log.clear();
                for (ConsumerRecord<byte[], byte[]> entry : TopicReader.read(brokers, topics.models(),
                        Integer.MAX_VALUE, Duration.ofSeconds(2))) {
                    log.add(ModelSetFormat.decode(entry.value()));
                }
                return log.getLast().recalibratedFrom() == trained;
            });
            ModelSet first = log.getFirst();
            ModelSet recalibrated = log.getLast();
            assertEquals(trained, first.version());
            assertEquals(first.models().stream().map(model -> model.trainedAt()).toList(),
                    recalibrated.models().stream().map(model -> model.trainedAt()).toList(),
                    "the trained detectors, a new threshold");
            assertNotEquals(first.ensembleThreshold(), recalibrated.ensembleThreshold());
            assertEquals("100", recalibrated.provenance().get(ModelSet.RECALIBRATION_RECORDS));
            assertTrue(log.stream().allMatch(set -> set == first || set.recalibratedFrom() == trained),
                    "nothing but recalibrations of the trained version: " + log.size() + " sets");
            for (ServiceProcess instance : instances) {
                Await.until("the recalibrated set on every instance", Duration.ofSeconds(5),
                        () -> servesGlobal(instance.api(), recalibrated.version()));
            }
            StringBuilder logs = new StringBuilder();
            for (ServiceProcess instance : instances) {
                logs.append(instance.logText());
            }
            assertTrue(logs.toString().contains(
                    "recalibrated on the final scores of 100 records judged normal in service"));
        } finally {
            for (ServiceProcess instance : instances) {
                instance.close();
            }
        }
    }

    /** Starts two instances, each with a model directory of its own, into {@code instances} (closed by the caller). */
    private static void startInstances(List<ServiceProcess> instances, String name, RunningService.Topics topics,
                                       Path dirs, Map<String, String> settings) throws Exception {
        for (int i = 0; i < 2; i++) {
            Map<String, String> env = new HashMap<>(ServiceProcess.environment(kafka.bootstrapServers(), topics,
                    dirs.resolve("models-" + i)));
            env.putAll(settings);
            instances.add(ServiceProcess.start(name + "-" + i, env));
        }
    }

    private static HttpResponse<String> train(ServiceProcess instance) {
        try {
            HttpResponse<String> response = instance.api().train(SensorData.quickTrainingRequest());
            assertEquals(200, response.statusCode(), response.body());
            return response;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean servesGlobal(ServiceApi api, long version) throws Exception {
        JsonNode status = status(api);
        return status.path("model_version").asLong() == version
                && "consuming".equals(status.at("/pipeline/state").asText());
    }

    private static JsonNode status(ServiceApi api) throws Exception {
        return JSON.readTree(api.get(ServiceApi.STATUS).body());
    }
}
