package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.observe.ServiceMetrics;
import io.github.plantwatch.anomaly.stream.Retrainer;
import io.github.plantwatch.anomaly.stream.RetrainingJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The service's retraining: jobs run one at a time on a thread of their own, so that scoring never waits for them;
 * at most one job per asset is queued or running, and a full queue drops the job (the stream proposes another at its
 * next cadence). Retraining improves verdicts later, scoring is due now, so retraining gives way to scoring: a job
 * starts only while the consumer is not catching up on a backlog, and after each job the thread rests long enough
 * that retraining uses at most its CPU share ({@code retraining.cpu-share}) of one core on average. Closing it stops
 * the job in progress (its candidate is never installed).
 */
public final class BackgroundRetrainer implements Retrainer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRetrainer.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** How often a job waiting for the consumer to catch up looks again. */
    private static final long YIELD_MILLIS = 1_000;
    /**
     * How far the retraining thread's nice value is raised above the service's: by 10, under full load it gets about
     * a tenth of what the service's threads get (Linux's weights: 110 against 1,024), so a queue of jobs still
     * moves; idle cores it takes whole.
     */
    static final int NICE_INCREMENT = 10;

    private final TrainingService training;
    private final Retraining retraining;
    private final ServiceMetrics metrics;
    private final ThreadPoolExecutor executor;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastQueueWarning = new AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(2));
    private final BooleanSupplier catchingUp;
    private final double cpuShare;

    /**
     * @param queue      how many jobs may wait while one runs
     * @param catchingUp whether the consumer is catching up on a backlog (no job starts meanwhile)
     * @param cpuShare   the share of one core retraining may use on average, in (0, 1]
     */
    public BackgroundRetrainer(TrainingService training, Retraining retraining, ServiceMetrics metrics, int queue,
                               BooleanSupplier catchingUp, double cpuShare) {
        if (!(cpuShare > 0 && cpuShare <= 1)) {
            throw new IllegalArgumentException("retraining.cpu-share must be in (0, 1], was " + cpuShare);
        }
        this.training = training;
        this.retraining = retraining;
        this.metrics = metrics;
        this.catchingUp = catchingUp;
        this.cpuShare = cpuShare;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                runnable -> {
                    Thread thread = new Thread(() -> {
                        lowerPriority();
                        runnable.run();
                    }, "retraining");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * The cpu share bounds retraining's average, but each job is a burst of a whole core (seconds of training) that
     * the consumer threads would otherwise share the cores with: 2,000 msg/s over 20 assets, which reach the
     * retraining cadence, had a p99 latency of 234 ms with retraining and 70 ms without (docs/performance.md). At
     * a lower priority, the burst takes what scoring leaves.
     */
    private static void lowerPriority() {
        if (ThreadPriority.lowerCurrentThread(NICE_INCREMENT)) {
            LOG.debug("Retraining runs {} nice steps below the service", NICE_INCREMENT);
        } else {
            LOG.info("Retraining runs at the service's priority (its thread's nice value could not be lowered)");
        }
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
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        try {
            while (catchingUp.getAsBoolean()) {
                Thread.sleep(YIELD_MILLIS);
            }
            cpuBefore = THREADS.getCurrentThreadCpuTime();
            metrics.retraining(training.retrain(job, retraining));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // closing
        } catch (Exception e) {
            metrics.retraining("failed");
            LOG.error("Retraining of asset {} failed; its model set in service is unchanged", job.assetId(), e);
        } finally {
            pending.remove(job.assetId());
        }
        rest(THREADS.getCurrentThreadCpuTime() - cpuBefore);
    }

    /** After a job that used {@code cpuNanos}, long enough that retraining's average stays within its share. */
    private void rest(long cpuNanos) {
        long restMillis = (long) (cpuNanos / 1e6 * (1 - cpuShare) / cpuShare);
        try {
            Thread.sleep(restMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
