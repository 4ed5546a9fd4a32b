package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.contract.ApiError;
import io.github.plantwatch.anomaly.contract.TrainingJobReport;
import io.github.plantwatch.anomaly.contract.TrainingReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Training requests as jobs: validated at once (a bad body is answered 400/413 without a job), then trained one at
 * a time on a thread of their own, at most {@code queue} waiting (429 beyond). The newest {@code kept} jobs stay
 * visible with their result or error. On stop, the waiting jobs are cancelled and the running one is interrupted at
 * its next epoch; nothing of it is installed (a set goes into service whole or not at all).
 */
public final class TrainingJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingJobs.class);

    private final TrainingService training;
    private final ThreadPoolExecutor executor;
    private final int queue;
    private final int kept;
    /** Newest last; guarded by this. */
    private final LinkedHashMap<String, Job> jobs = new LinkedHashMap<>();

    /** One job's state; its fields change as it runs, its reports are snapshots. */
    private static final class Job {
        final String id = UUID.randomUUID().toString();
        final String scope;
        final Instant submitted = Instant.now();
        final CompletableFuture<TrainingReport> done = new CompletableFuture<>();
        volatile Instant started;
        volatile Instant finished;
        volatile String state = "queued";
        volatile ApiError error;

        Job(String scope) {
            this.scope = scope;
        }
    }

    public TrainingJobs(TrainingService training, int queue, int kept) {
        this.training = training;
        this.queue = queue;
        this.kept = kept;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(queue),
                runnable -> Thread.ofPlatform().name("training").daemon().unstarted(runnable));
    }

    /**
     * Validates the body and queues its training.
     *
     * @throws InvalidTrainingRequestException the body's problem (400, 413), or 429 when the queue is full
     */
    public TrainingJobReport submit(byte[] body) {
        TrainingRequest request = training.prepare(body);
        Job job = new Job(request.scope().key());
        synchronized (this) {
            try {
                executor.execute(() -> run(job, request));
            } catch (RejectedExecutionException e) {
                throw new InvalidTrainingRequestException(429, "the training queue is full (" + queue
                        + " jobs waiting, one running): retry when one has finished");
            }
            jobs.put(job.id, job);
            while (jobs.size() > kept) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        }
        LOG.info("Training job {} queued for {}", job.id, job.scope);
        return report(job);
    }

    private void run(Job job, TrainingRequest request) {
        job.started = Instant.now();
        job.state = "running";
        try {
            TrainingReport result = training.train(request);
            job.state = "succeeded";
            job.done.complete(result);
        } catch (InvalidTrainingRequestException e) {
            fail(job, e.status(), e.getMessage(), e);
        } catch (TrainingCancelledException e) {
            job.state = "cancelled";
            job.error = new ApiError(503, "the service stopped during the training; the models in service are "
                    + "unchanged");
            job.done.completeExceptionally(e);
            LOG.warn("Training job {} cancelled: the service is stopping", job.id);
        } catch (RuntimeException | Error e) {
            // an Error too (a library that cannot load, memory): a job left unfinished would hold ?wait=true forever
            LOG.error("Training job {} failed; the models in service are unchanged", job.id, e);
            fail(job, 500, "training failed: " + e + "; the models in service are unchanged", e);
        } finally {
            job.finished = Instant.now();
        }
    }

    private static void fail(Job job, int status, String message, Throwable cause) {
        job.state = "failed";
        job.error = new ApiError(status, message);
        job.done.completeExceptionally(cause);
    }

    public synchronized Optional<TrainingJobReport> find(String id) {
        return Optional.ofNullable(jobs.get(id)).map(this::report);
    }

    /** Waits for a job to finish (the synchronous {@code ?wait=true}); its report then holds the result or error. */
    public TrainingJobReport await(String id) throws InterruptedException {
        Job job;
        synchronized (this) {
            job = jobs.get(id);
        }
        if (job == null) {
            throw new IllegalArgumentException("no training job " + id);
        }
        try {
            job.done.join();
        } catch (RuntimeException e) {
            // the report carries the error
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return report(job);
    }

    private TrainingJobReport report(Job job) {
        TrainingReport result = job.done.isDone() && !job.done.isCompletedExceptionally() ? job.done.join() : null;
        return new TrainingJobReport(job.id, job.state, "running".equals(job.state) ? training.progress() : null,
                job.scope,
                job.submitted.toString(), text(job.started), text(job.finished), result, job.error);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Cancels the waiting jobs and interrupts the running one (it stops at its next epoch), waiting up to 10 s. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow().clear();
        synchronized (this) {
            for (Job job : jobs.values()) {
                if ("queued".equals(job.state)) {
                    job.state = "cancelled";
                    job.error = new ApiError(503, "the service stopped before the training started");
                    job.done.completeExceptionally(new TrainingCancelledException());
                }
            }
        }
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("The training in progress did not stop within 10 s; the service stops without it");
        }
    }
}
