package io.github.plantwatch.anomaly.stream;

import java.util.concurrent.atomic.LongAdder;

/** Counts since start of messages whose output was acknowledged by Kafka. */
public final class PipelineStats {

    private final LongAdder scored = new LongAdder();
    private final LongAdder anomalous = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();

    void record(ScoredBatch batch) {
        scored.add(batch.results().size());
        anomalous.add(batch.anomalies());
        deadLettered.add(batch.rejected().size());
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
