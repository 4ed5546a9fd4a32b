package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.observe.ServiceMetrics;

/**
 * What each acknowledged batch adds to the service's counters (its Prometheus metrics, which the status report
 * reads back): records consumed, results published, anomalies by criticality, dead letters by reason.
 */
public final class PipelineStats {

    private final ServiceMetrics metrics;

    public PipelineStats(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    void record(int consumed, ScoredBatch batch) {
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
