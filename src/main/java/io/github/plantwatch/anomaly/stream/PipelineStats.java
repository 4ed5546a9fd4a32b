package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.observe.ServiceMetrics;

import java.util.concurrent.atomic.LongAdder;

/** Counts since start of messages whose output was acknowledged by Kafka, for status and for metrics. */
public final class PipelineStats {

    private final ServiceMetrics metrics;

    private final LongAdder scored = new LongAdder();
    private final LongAdder anomalous = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();

    public PipelineStats(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    void record(int consumed, ScoredBatch batch) {
        metrics.batchConsumed(consumed);
        scored.add(batch.results().size());
        metrics.scored(batch.results().size());
        for (AnomalyResult result : batch.results()) {
            if (result.isAnomaly()) {
                anomalous.increment();
                metrics.anomalous(result.criticality().jsonName());
            }
        }
        for (DecodedBatch.Rejected rejected : batch.rejected()) {
            deadLettered.increment();
            metrics.deadLettered(rejected.rejection().reason().code());
        }
    }

    public long scored() {
        return scored.sum();
    }

    public long anomalous() {
        return anomalous.sum();
    }

    public long deadLettered() {
        return deadLettered.sum();
    }
}
