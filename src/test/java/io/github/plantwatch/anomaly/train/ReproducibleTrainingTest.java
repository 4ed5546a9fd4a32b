package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.Standardizer;
import io.github.plantwatch.anomaly.detect.Windows;
import io.github.plantwatch.anomaly.support.SensorData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** TRAINING_SEED makes training repeat: the same rows and seed give the same detectors, score for score. */
class ReproducibleTrainingTest {

    @ParameterizedTest
    @ValueSource(strings = {"isolation_forest", "one_class_svm"})
    void smilesDetectorsRepeatForTheSameSeed(String name) {
        double[][] raw = new SensorData(8).healthyRows(400);
        double[][] rows = Standardizer.fit(raw).apply(raw);
        TrainingSettings settings = new TrainingSettings(DetectorCatalog.NAMES, 0.01, 5, 1, 100, 42);
        double[][][] points = Windows.points(new SensorData(9).healthyRows(200));
        Detector first = DetectorCatalog.fit(name, rows, settings, epoch -> { });
        smile.math.MathEx.random(); // whatever this thread drew before must not matter
        Detector second = DetectorCatalog.fit(name, rows, settings, epoch -> { });
        assertArrayEquals(first.rawScores(points), second.rawScores(points), 0.0);
    }
}
