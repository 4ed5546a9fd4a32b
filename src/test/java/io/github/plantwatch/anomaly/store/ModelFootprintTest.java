package io.github.plantwatch.anomaly.store;

import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.support.ProbeJvm;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.train.DetectorCatalog;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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

        long perCopy = ProbeJvm.figure("heap-per-copy", FootprintProbe.class, file.toString(), "12");
        System.out.printf("model set: %d bytes serialized, %d bytes of heap per loaded copy, estimate %d%n",
                serialized.length, perCopy, estimate);
        assertTrue(perCopy <= estimate, "measured " + perCopy + " > estimate " + estimate);
        assertTrue(perCopy >= estimate / 4, "the estimate should not waste the budget: " + perCopy + " vs " + estimate);
    }
}
