package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.observe.ServiceMetrics;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What each acknowledged batch adds to the service's counters (its Prometheus metrics, which the status report
 * reads back): records consumed, results published, anomalies by criticality, dead letters by reason; when the
 * first record was consumed; and whether the consumer is catching up on a backlog.
 */
public final class PipelineStats {

    /** A full batch within this long means the consumer is still behind. */
    static final long CATCHING_UP_MILLIS = 5_000;

    private final ServiceMetrics metrics;
    private final int fullBatch;
    /** Epoch ms when the first record since start was consumed; 0 before. */
    private final AtomicLong firstConsumedMillis = new AtomicLong();
    /** Epoch ms of the last batch that was full (the consumer found more records waiting than one poll takes). */
    private final AtomicLong lastFullBatchMillis = new AtomicLong();

    /** @param fullBatch the consumer's max-poll-records: a batch this large means more records were waiting */
    public PipelineStats(ServiceMetrics metrics, int fullBatch) {
        this.metrics = metrics;
        this.fullBatch = fullBatch;
    }

    /**
     * @param consumedMillis when the batch's first record was consumed (the epoch ms its exchange was created)
     */
    void record(int consumed, long consumedMillis, ScoredBatch batch) {
        // the earliest: consumer threads record their first batches in any order
        firstConsumedMillis.accumulateAndGet(consumedMillis,
                (first, next) -> first == 0 ? next : Math.min(first, next));
        if (consumed >= fullBatch) {
            lastFullBatchMillis.set(System.currentTimeMillis());
        }
        metrics.batchConsumed(consumed);
        metrics.scored(batch.results().size());
        for (AnomalyResult result : batch.results()) {
            if (result.isAnomaly()) {
                metrics.anomalous(result.criticality().jsonName());
            }
        }
        for (DecodedBatch.Rejected rejected : batch.rejected()) {
            metrics.deadLettered(rejected.rejection().reason().code());
        }
    }

    /** When the first record since start was consumed, if one was. */
    public Optional<Instant> firstConsumed() {
        long millis = firstConsumedMillis.get();
        return millis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /**
     * Whether the consumer is catching up on a backlog: a batch of the last {@value #CATCHING_UP_MILLIS} ms was
     * full. Background work (retraining) waits meanwhile, so the backlog gets every core.
     */
    public boolean catchingUp() {
        return System.currentTimeMillis() - lastFullBatchMillis.get() < CATCHING_UP_MILLIS;
    }

    public long scored() {
        return metrics.scoredTotal();
    }

    public long anomalous() {
        return metrics.anomalousTotal();
    }

    public long deadLettered() {
        return metrics.deadLetteredTotal();
    }
}
