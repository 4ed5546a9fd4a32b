package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.IsolationForestDetector;
import io.github.plantwatch.anomaly.detect.LstmAutoencoderDetector;
import io.github.plantwatch.anomaly.detect.OneClassSvmDetector;

import smile.math.MathEx;

import java.util.List;
import java.util.function.IntConsumer;

/** The detectors the service knows, by {@code model_name}, and how each is trained from settings. */
public final class DetectorCatalog {

    public static final List<String> NAMES = List.of(
            IsolationForestDetector.NAME, OneClassSvmDetector.NAME, LstmAutoencoderDetector.NAME);

    private DetectorCatalog() {
    }

    /**
     * @param rows    standardized training rows in time order
     * @param onEpoch progress of iterative trainers (the LSTM), by epoch number
     */
    static Detector fit(String name, double[][] rows, TrainingSettings settings, IntConsumer onEpoch) {
        return switch (name) {
            case IsolationForestDetector.NAME -> {
                MathEx.setSeed(settings.seed()); // Smile draws from its thread's generator: seeded, runs repeat
                yield IsolationForestDetector.fit(rows, settings.isolationTrees());
            }
            // nu bounds the fraction of training rows outside the support: the contamination we expect.
            case OneClassSvmDetector.NAME ->
                    OneClassSvmDetector.fit(rows, Math.max(settings.contamination(), 0.01), settings.seed());
            case LstmAutoencoderDetector.NAME -> LstmAutoencoderDetector.fit(
                    rows, settings.lstmWindow(), settings.lstmEpochs(), settings.seed(), onEpoch);
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }
}
