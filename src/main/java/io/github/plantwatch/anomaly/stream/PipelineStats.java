package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.observe.ServiceMetrics;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What each acknowledged batch adds to the service's counters (its Prometheus metrics, which the status report
 * reads back): records consumed, results published, anomalies by criticality, dead letters by reason; and when
 * the first record was consumed.
 */
public final class PipelineStats {

    private final ServiceMetrics metrics;
    /** Epoch ms when the first record since start was consumed; 0 before. */
    private final AtomicLong firstConsumedMillis = new AtomicLong();

    public PipelineStats(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param consumedMillis when the batch's first record was consumed (the epoch ms its exchange was created)
     */
    void record(int consumed, long consumedMillis, ScoredBatch batch) {
        // the earliest: consumer threads record their first batches in any order
        firstConsumedMillis.accumulateAndGet(consumedMillis,
                (first, next) -> first == 0 ? next : Math.min(first, next));
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
