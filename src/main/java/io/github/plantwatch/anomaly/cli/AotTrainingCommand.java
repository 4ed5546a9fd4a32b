package io.github.plantwatch.anomaly.cli;

import io.github.plantwatch.anomaly.simulator.SensorSimulator;
import io.github.plantwatch.anomaly.simulator.SimulatorOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code aot-training [--seconds S] [--rate MSG_PER_S]}: the workload a JDK AOT cache is recorded on
 * (docs/performance.md), e.g. {@code java -XX:AOTCacheOutput=app.aot -jar anomaly-detection-service.jar
 * aot-training}. It runs what a restarted service runs: an embedded broker, the service, training over HTTP,
 * simulated machines streamed through the route for S seconds (default {@value #DEFAULT_SECONDS}), a few invalid
 * records through the dead-letter path; then it stops everything and the JVM exits, which writes the cache. A
 * service started with {@code -XX:AOTCache=app.aot} then finds these classes loaded and linked and these methods'
 * profiles ready.
 */
public final class AotTrainingCommand {

    static final int DEFAULT_SECONDS = 20;
    private static final int DEFAULT_RATE = 5000;
    private static final List<String> INVALID_RECORDS = List.of("not json", "{\"asset_id\": \"X\"}",
            "{\"features\": {\"rms\": 1.0}}");

    private AotTrainingCommand() {
    }

    public static void run(String[] args) throws Exception {
        int seconds = DEFAULT_SECONDS;
        int rate = DEFAULT_RATE;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "\nusage: aot-training [--seconds S] [--rate MSG_PER_S]");
            }
        }
        // the dead-letter path logs every rejected record at ERROR or WARN; here they are expected
        Configurator.setLevel("io.github.plantwatch.anomaly", Level.OFF);
        Configurator.setLevel("org.apache.camel", Level.WARN);
        long expected;
        try (LocalPlant plant = LocalPlant.start()) {
            SimulatorOptions options = SimulatorOptions.parse(new String[]{"--bootstrap-servers",
                    plant.bootstrapServers(), "--rate", String.valueOf(rate), "--assets", "50",
                    "--faults-per-minute", "2", "--healthy-seconds", "2",
                    "--duration-seconds", String.valueOf(seconds)});
            SensorSimulator simulator = new SensorSimulator(options);
            plant.train(simulator, 40); // 2,000 rows: training is not what the cache is for
            System.out.printf("Streaming simulated machines at %d msg/s for %d s...%n", rate, seconds);
            simulator.run();
            sendInvalidRecords(plant.bootstrapServers(), options.topic());
            expected = simulator.sent() + INVALID_RECORDS.size();
            awaitHandled(plant, expected, System.nanoTime() + 120_000_000_000L);
        }
        System.out.printf("AOT training workload done: %d records through the route%n", expected);
    }

    private static void sendInvalidRecords(String bootstrapServers, String topic) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String record : INVALID_RECORDS) {
                producer.send(new ProducerRecord<>(topic, record.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private static void awaitHandled(LocalPlant plant, long expected, long deadline) throws Exception {
        while (plant.handled() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service handled " + plant.handled() + " of " + expected
                        + " records in time");
            }
            Thread.sleep(200);
        }
    }
}
