package io.github.plantwatch.anomaly.stream;

import java.util.List;

/**
 * Whether the worst case of one batch fits in the consumer's {@code max.poll.interval.ms}: every synchronous Kafka
 * producer step of the route may block up to {@code max.block.ms} and then wait up to {@code delivery.timeout.ms}
 * for its acknowledgements, the commit up to the commit timeout, and the batch's own work (decoding, scoring,
 * encoding) gets an allowance; after a failed batch, the wait before the next poll ({@link FailedBatchBackoff}) counts
 * too. A consumer whose batch outlasts the interval is put out of the group mid-batch:
 * its partitions move while it still publishes, and its commit fails. Null values are Kafka's defaults.
 */
public record BatchTimeBudget(List<ProducerStep> producers, Integer maxPollIntervalMs, Long commitTimeoutMs,
                              long retryWaitMs) {

    /**
     * Scoring, explanation and encoding of one batch: milliseconds in practice, a GC pause or a model load more; and
     * the check that the topics it writes exist (WrittenTopicsCheck), which waits at most 5 s for the cluster.
     */
    static final long OWN_WORK_MS = 30_000;
    private static final int KAFKA_MAX_POLL_INTERVAL_MS = 300_000;
    private static final int KAFKA_MAX_BLOCK_MS = 60_000;
    private static final int KAFKA_DELIVERY_TIMEOUT_MS = 120_000;
    private static final long CAMEL_COMMIT_TIMEOUT_MS = 5_000;

    /** A producer step of the route and its timeouts. */
    public record ProducerStep(String topic, Integer maxBlockMs, Integer deliveryTimeoutMs) {
        long worstMs() {
            return (long) (maxBlockMs == null ? KAFKA_MAX_BLOCK_MS : maxBlockMs)
                    + (deliveryTimeoutMs == null ? KAFKA_DELIVERY_TIMEOUT_MS : deliveryTimeoutMs);
        }
    }

    public long worstCaseMs() {
        return producers.stream().mapToLong(ProducerStep::worstMs).sum()
                + (commitTimeoutMs == null ? CAMEL_COMMIT_TIMEOUT_MS : commitTimeoutMs) + OWN_WORK_MS + retryWaitMs;
    }

    public long intervalMs() {
        return maxPollIntervalMs == null ? KAFKA_MAX_POLL_INTERVAL_MS : maxPollIntervalMs;
    }

    /** The problem in words, naming the settings, or null when the worst case fits. */
    public String problem() {
        if (worstCaseMs() <= intervalMs()) {
            return null;
        }
        return "a batch may take up to " + worstCaseMs() / 1000 + " s (" + producers.size() + " producer steps x ("
                + "KAFKA_MAX_BLOCK_MS + KAFKA_DELIVERY_TIMEOUT_MS), plus KAFKA_COMMIT_TIMEOUT_MS, plus "
                + OWN_WORK_MS / 1000 + " s for the batch's own work, plus KAFKA_BATCH_RETRY_MAX_DELAY_MS), more than KAFKA_MAX_POLL_INTERVAL_MS ("
                + intervalMs() / 1000 + " s): the consumer would be put out of its group mid-batch. Lower the "
                + "producer timeouts or raise KAFKA_MAX_POLL_INTERVAL_MS";
    }
}
