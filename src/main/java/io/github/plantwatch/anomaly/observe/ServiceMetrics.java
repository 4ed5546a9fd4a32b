package io.github.plantwatch.anomaly.observe;

import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's own Prometheus metrics (README "Health and metrics"), next to Camel's route metrics on
 * {@code /observe/metrics}. Meters are created once and cached: the hot path only increments them.
 */
public final class ServiceMetrics {

    private final MeterRegistry registry;
    private final java.util.concurrent.atomic.AtomicInteger failedBatchesInARow =
            new java.util.concurrent.atomic.AtomicInteger();
    private final Counter consumed;
    private final Counter scored;
    private final DistributionSummary batchSize;
    private final Map<String, Counter> anomalousByCriticality = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetteredByReason = new ConcurrentHashMap<>();
    private final Map<String, Timer> scoringByModel = new ConcurrentHashMap<>();

    public ServiceMetrics(MeterRegistry registry, ModelRegistry models) {
        this.registry = registry;
        this.consumed = Counter.builder("anomaly_messages_consumed").description("input records consumed")
                .register(registry);
        this.scored = Counter.builder("anomaly_messages_scored").description("results published")
                .register(registry);
        this.batchSize = DistributionSummary.builder("anomaly_batch_size").description("records per polled batch")
                .register(registry);
        Gauge.builder("anomaly_failed_batches_in_a_row", failedBatchesInARow, java.util.concurrent.atomic.AtomicInteger::get)
                .description("attempts in a row at the current batch that failed; at kafka.batch-retry.pause-after "
                        + "the stream is paused").register(registry);
        Gauge.builder("anomaly_model_age_seconds", models,
                        m -> m.current().map(set -> Duration.between(set.trainedAt(), Instant.now()).toSeconds())
                                .orElse(-1L))
                .description("age of the model set in service (-1: none)").register(registry);
    }

    /** How many attempts in a row at the current batch failed (0: the stream flows). */
    public void failedBatchesInARow(int failures) {
        failedBatchesInARow.set(failures);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void batchConsumed(int records) {
        consumed.increment(records);
        batchSize.record(records);
    }

    public void scored(long results) {
        scored.increment(results);
    }

    /** Results published since start. */
    public long scoredTotal() {
        return (long) scored.count();
    }

    /** Anomalies published since start, all criticalities. */
    public long anomalousTotal() {
        return total(anomalousByCriticality);
    }

    /** Records dead-lettered since start, all reasons. */
    public long deadLetteredTotal() {
        return total(deadLetteredByReason);
    }

    private static long total(Map<String, Counter> counters) {
        return (long) counters.values().stream().mapToDouble(Counter::count).sum();
    }

    public void anomalous(String criticality) {
        anomalousByCriticality.computeIfAbsent(criticality, c -> Counter.builder("anomaly_messages_anomalous")
                .description("results flagged as anomalies").tag("criticality", c).register(registry)).increment();
    }

    public void deadLettered(String reason) {
        deadLetteredByReason.computeIfAbsent(reason, r -> Counter.builder("anomaly_messages_dead_lettered")
                .description("records sent to the dead-letter topic").tag("reason", r).register(registry)).increment();
    }

    /** One detector's batched call: every message of a batch (that one model set scores) at once. */
    public void scoringCall(String model, long nanos) {
        scoringByModel.computeIfAbsent(model, m -> Timer.builder("anomaly_scoring")
                .description("time of one batched detector call (all messages of a batch)").tag("model", m)
                .register(registry)).record(Duration.ofNanos(nanos));
    }

    /** A retraining job's outcome: promoted, kept (the set in service stays), skipped (queue full) or failed. */
    public void retraining(String outcome) {
        Counter.builder("anomaly_retraining").description("automatic retraining jobs by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    public void trainingRun(String outcome, long millis) {
        Timer.builder("anomaly_training").description("training runs by outcome").tag("outcome", outcome)
                .register(registry).record(Duration.ofMillis(millis));
    }
}
