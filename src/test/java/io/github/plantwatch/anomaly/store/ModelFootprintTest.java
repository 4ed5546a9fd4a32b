package io.github.plantwatch.anomaly.store;

import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.train.DetectorCatalog;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory one loaded model set takes, measured: a set of all three detectors (100 trees, 1,000 training rows) is
 * encoded, and a JVM of its own ({@link FootprintProbe}) decodes and holds 12 copies and reports the heap
 * one copy adds, compared with the estimate the memory budget uses. Not timed; the heap is read after full
 * collections.
 */
class ModelFootprintTest {

    @TempDir
    Path directory;

    @Test
    void aLoadedSetTakesNoMoreHeapThanItsEstimate() throws Exception {
        TrainingSettings settings = new TrainingSettings(DetectorCatalog.NAMES, 0.01, 10, 2, 100, 42, 0.25, 0.5);
        ModelSet set = new ModelTrainer().train(new TrainingRequest(new SensorData(2).healthyRows(1000),
                SensorData.FEATURES, settings), 1, step -> { });
        byte[] serialized = ModelSetFormat.encode(set);
        long estimate = ModelFootprint.estimate(serialized.length);
        Path file = directory.resolve("set.bin");
        Files.write(file, serialized);

        Process probe = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), FootprintProbe.class.getName(), file.toString(), "12"))
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, probe.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith("heap-per-copy=")).findFirst().orElseThrow(
                () -> new AssertionError("no reading from the probe: " + output));
        long perCopy = Long.parseLong(line.substring("heap-per-copy=".length(), line.indexOf(' ')));
        System.out.printf("model set: %d bytes serialized, %d bytes of heap per loaded copy, estimate %d%n",
                serialized.length, perCopy, estimate);
        assertTrue(perCopy <= estimate, "measured " + perCopy + " > estimate " + estimate);
        assertTrue(perCopy >= estimate / 4, "the estimate should not waste the budget: " + perCopy + " vs " + estimate);
    }
}
