package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.observe.ServiceMetrics;
import io.github.plantwatch.anomaly.stream.Retrainer;
import io.github.plantwatch.anomaly.stream.RetrainingJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's retraining: jobs run one at a time on a thread of their own, at low priority, so that scoring never
 * waits for them; at most one job per asset is queued or running, and a full queue drops the job (the stream
 * proposes another at its next cadence). Closing it stops the job in progress (its candidate is never installed).
 */
public final class BackgroundRetrainer implements Retrainer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRetrainer.class);

    private final TrainingService training;
    private final Retraining retraining;
    private final ServiceMetrics metrics;
    private final ThreadPoolExecutor executor;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastQueueWarning = new AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(2));

    /** @param queue how many jobs may wait while one runs */
    public BackgroundRetrainer(TrainingService training, Retraining retraining, ServiceMetrics metrics, int queue) {
        this.training = training;
        this.retraining = retraining;
        this.metrics = metrics;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                runnable -> {
                    Thread thread = new Thread(runnable, "retraining");
                    thread.setDaemon(true);
                    thread.setPriority(Thread.MIN_PRIORITY);
                    return thread;
                });
    }

    @Override
    public void submit(RetrainingJob job) {
        if (!pending.add(job.assetId())) {
            return; // the asset's previous job is still queued or running
        }
        try {
            executor.execute(() -> run(job));
        } catch (RejectedExecutionException e) {
            pending.remove(job.assetId());
            metrics.retraining("skipped");
            long now = System.nanoTime();
            long last = lastQueueWarning.get();
            // many streams at once would log a line each: once a minute is enough to tell the operator
            if (now - last > TimeUnit.MINUTES.toNanos(1) && lastQueueWarning.compareAndSet(last, now)) {
                LOG.warn("Retraining queue full: jobs are dropped until their streams' next cadence (asset {} "
                        + "among them; anomaly_retraining_total{outcome=\"skipped\"} counts them); "
                        + "raise RETRAINING_EVERY_RECORDS or RETRAINING_QUEUE", job.assetId());
            }
        }
    }

    private void run(RetrainingJob job) {
        try {
            metrics.retraining(training.retrain(job, retraining));
        } catch (Exception e) {
            metrics.retraining("failed");
            LOG.error("Retraining of asset {} failed; its model set in service is unchanged", job.assetId(), e);
        } finally {
            pending.remove(job.assetId());
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("A retraining job was still running at shutdown");
        }
    }
}
