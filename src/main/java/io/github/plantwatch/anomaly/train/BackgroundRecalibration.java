package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.ModelSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Installs recalibrated model sets ({@code stream/ThresholdRecalibration}) on a thread of their own: the scoring
 * thread that completed a sample must not wait for the model log. Unlike a retraining job, an installation trains
 * nothing, so it does not wait for a backlog to be read: it is what makes the rest of the backlog's verdicts right.
 */
public final class BackgroundRecalibration implements Consumer<ModelSet>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRecalibration.class);

    private final TrainingService training;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "recalibration");
        thread.setDaemon(true);
        return thread;
    });

    public BackgroundRecalibration(TrainingService training) {
        this.training = training;
    }

    @Override
    public void accept(ModelSet recalibrated) {
        try {
            executor.execute(() -> {
                try {
                    training.recalibrate(recalibrated);
                } catch (Exception e) {
                    LOG.error("Installing the recalibrated threshold of {} v{} failed; the set in service is "
                            + "unchanged", recalibrated.scope(), recalibrated.recalibratedFrom(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.info("Service stopping: the recalibrated threshold of {} v{} is not installed", recalibrated.scope(),
                    recalibrated.recalibratedFrom());
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("A recalibrated model set was still being installed at shutdown");
        }
    }
}
