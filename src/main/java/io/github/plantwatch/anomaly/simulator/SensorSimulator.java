package io.github.plantwatch.anomaly.simulator;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Plays several machines into the input topic as seed-format messages, keyed by asset_id, at a fixed total
 * rate, injecting faults of the chosen kinds at random. Usable on its own against any broker
 * ({@code simulate} command) and by the demo.
 */
public final class SensorSimulator implements Runnable {

    private final List<SimulatedAsset> assets = new ArrayList<>();
    private final SimulatorOptions options;
    private final Random random;
    private volatile boolean running = true;
    private long sent;

    public SensorSimulator(SimulatorOptions options) {
        this.options = options;
        this.random = new Random(options.seed());
        String[] kinds = {"PUMP", "FAN", "MOTOR"};
        for (int i = 0; i < options.assets(); i++) {
            assets.add(new SimulatedAsset(String.format(Locale.ROOT, "%s-%02d", kinds[i % kinds.length], i + 1),
                    "VIB-1", options.seed() + i));
        }
    }

    /** Healthy rows to train on: each asset's series one after the other, in time order. */
    public double[][] healthyRows(int perAsset) {
        double[][] rows = new double[perAsset * assets.size()][];
        int k = 0;
        for (SimulatedAsset asset : assets) {
            for (int t = 0; t < perAsset; t++) {
                rows[k++] = asset.healthy(t);
            }
        }
        return rows;
    }

    public static List<String> featureNames() {
        return List.of("rms", "kurtosis", "crest_factor", "variance", "mean");
    }

    @Override
    public void run() {
        double stepsPerSecond = options.rate() / (double) assets.size();
        long interval = (long) (1_000_000_000L / options.rate());
        long start = System.nanoTime();
        long end = options.durationSeconds() > 0 ? start + options.durationSeconds() * 1_000_000_000L : Long.MAX_VALUE;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; running && System.nanoTime() < end; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                SimulatedAsset asset = assets.get((int) (i % assets.size()));
                int t = (int) (i / assets.size());
                maybeStartFault(asset, stepsPerSecond);
                byte[] message = message(asset, asset.next(t, stepsPerSecond));
                producer.send(new ProducerRecord<>(options.topic(), asset.assetId.getBytes(StandardCharsets.UTF_8),
                        message));
                sent++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Faults start at {@code faultsPerMinute} per asset on average, after the healthy warm-up. */
    private void maybeStartFault(SimulatedAsset asset, double stepsPerSecond) {
        if (options.faults().isEmpty() || asset.faulty() || sent < options.healthySeconds() * options.rate()) {
            return;
        }
        if (random.nextDouble() < options.faultsPerMinute() / (60 * stepsPerSecond)) {
            asset.startFault(options.faults().get(random.nextInt(options.faults().size())));
        }
    }

    private static byte[] message(SimulatedAsset asset, double[] v) {
        return String.format(Locale.ROOT, "{\"asset_id\": \"%s\", \"sensor_id\": \"%s\", \"features\": {\"rms\": %.5f, "
                        + "\"kurtosis\": %.5f, \"crest_factor\": %.5f, \"variance\": %.5f, \"mean\": %.5f}, "
                        + "\"timestamp\": \"%s\", \"metadata\": {\"source\": \"simulator\"}}",
                asset.assetId, asset.sensorId, v[0], v[1], v[2], v[3], v[4], Instant.now())
                .getBytes(StandardCharsets.UTF_8);
    }

    public void stop() {
        running = false;
    }

    public long sent() {
        return sent;
    }
}
