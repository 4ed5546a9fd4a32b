package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.IsolationForestDetector;
import io.github.plantwatch.anomaly.detect.LstmAutoencoderDetector;
import io.github.plantwatch.anomaly.detect.OneClassSvmDetector;

import smile.math.MathEx;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
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
            case IsolationForestDetector.NAME -> seeded(settings.seed(),
                    () -> IsolationForestDetector.fit(rows, settings.isolationTrees()));
            // nu bounds the fraction of training rows outside the support: the contamination we expect.
            case OneClassSvmDetector.NAME -> seeded(settings.seed(),
                    () -> OneClassSvmDetector.fit(rows, Math.max(settings.contamination(), 0.01), settings.seed()));
            case LstmAutoencoderDetector.NAME -> LstmAutoencoderDetector.fit(
                    rows, settings.lstmWindow(), settings.lstmEpochs(), settings.seed(), onEpoch);
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }

    /**
     * Runs a Smile fit so that it repeats: Smile draws from a per-thread generator and builds trees on parallel
     * streams, so the fit runs in a pool of one thread whose generator is seeded first (a few milliseconds more
     * for 100 trees; the same forest for the same seed and rows). Smile also keeps static state its seeding
     * resets, so two such fits never run at once (the service trains one model set at a time anyway; the
     * evaluate command trains several files in parallel).
     */
    private static synchronized Detector seeded(long seed, Supplier<Detector> fit) {
        ForkJoinPool single = new ForkJoinPool(1);
        try {
            return single.submit(() -> {
                MathEx.setSeed(seed);
                return fit.get();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            single.shutdown();
        }
    }
}
