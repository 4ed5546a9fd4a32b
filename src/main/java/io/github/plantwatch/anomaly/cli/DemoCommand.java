package io.github.plantwatch.anomaly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.simulator.SensorSimulator;
import io.github.plantwatch.anomaly.simulator.SimulatorOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import sun.misc.Signal;

import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code demo}: everything on one machine with nothing installed but Java: a single-node KRaft broker on
 * 127.0.0.1, the service, a sensor simulator; trains the models over the HTTP API on the simulator's healthy
 * data, then prints the machines' anomaly episodes as they open, rise and close. Ctrl+C stops it all.
 */
public final class DemoCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Episodes, not verdicts: one line when a machine's fault starts, rises or ends (README "Episodes"). */
    private static final String EPISODES_TOPIC = "anomaly-episodes";

    private DemoCommand() {
    }

    public static void run(String[] args) throws Exception {
        // the demo prints the anomalies itself; the service's own per-anomaly warnings would say it twice
        Configurator.setLevel("io.github.plantwatch.anomaly", Level.ERROR);
        Configurator.setLevel("org.apache.camel", Level.WARN);
        String managementPort = System.getenv().getOrDefault("MANAGEMENT_PORT", "9876");

        LocalPlant plant = LocalPlant.start();
        SensorSimulator simulator = new SensorSimulator(
                SimulatorOptions.parse(new String[]{"--bootstrap-servers", plant.bootstrapServers(),
                        "--faults-per-minute", "1", "--healthy-seconds", "20"}));
        plant.train(simulator, 300);

        CountDownLatch stopped = new CountDownLatch(1);
        KafkaConsumer<String, String> results = consumer(plant.bootstrapServers());
        Thread simulation = Thread.ofPlatform().name("simulator").start(simulator);
        // Ctrl+C / SIGTERM: stop in order (simulator, service, broker) before the JVM shuts down
        Runnable stopAll = () -> {
            System.out.println("\nStopping...");
            simulator.stop();
            results.wakeup();
            try {
                stopped.await();
                simulation.join(5000);
                plant.close();
            } catch (Exception e) {
                System.err.println("Stop: " + e);
            }
            System.out.println("Stopped.");
            System.exit(0);
        };
        for (String signal : new String[]{"INT", "TERM"}) {
            Signal.handle(new Signal(signal), ignored -> Thread.ofPlatform().start(stopAll));
        }
        System.out.printf("%nSimulating 6 machines at 20 msg/s; faults (bearing, imbalance, sensor) start after 20 s.%n"
                + "Status page: http://localhost:%d/   Metrics: http://localhost:%s/observe/metrics   Ctrl+C to stop%n%n",
                plant.httpPort(), managementPort);
        printAnomalies(results, stopped);
    }

    private static KafkaConsumer<String, String> consumer(String servers) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ConsumerConfig.GROUP_ID_CONFIG, "demo-printer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(EPISODES_TOPIC));
        return consumer;
    }

    private static void printAnomalies(KafkaConsumer<String, String> results, CountDownLatch stopped) {
        try (results) {
            while (true) {
                for (ConsumerRecord<String, String> record : results.poll(Duration.ofMillis(500))) {
                    JsonNode episode = JSON.readTree(record.value());
                    boolean closed = "closed".equals(episode.get("event").asText());
                    System.out.printf(Locale.ROOT, "%s  %-8s  %-8s  %-9s score=%.3f  %s%n",
                            LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                            episode.get("event").asText().toUpperCase(Locale.ROOT),
                            episode.get("peak_criticality").asText().toUpperCase(Locale.ROOT),
                            episode.get("asset_id").asText(), episode.get("peak_score").asDouble(),
                            closed ? "after " + episode.get("records").asLong() + " anomalous records"
                                    : drivers(episode));
                }
            }
        } catch (WakeupException stopping) {
            // Ctrl+C
        } catch (Exception e) {
            System.err.println("Reading results failed: " + e);
        } finally {
            stopped.countDown();
        }
    }

    /** The features that drove the episode's peak. */
    private static String drivers(JsonNode episode) {
        StringBuilder text = new StringBuilder();
        episode.get("top_features").forEach(f -> text.append(String.format(Locale.ROOT, "%s=%.3g (expected %.3g) ",
                f.get("name").asText(), f.get("observed").asDouble(), f.get("expected").asDouble())));
        return text.toString().trim();
    }
}
