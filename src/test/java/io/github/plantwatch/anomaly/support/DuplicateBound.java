package io.github.plantwatch.anomaly.support;

import io.github.plantwatch.anomaly.kafka.ConsumerThreads;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The most duplicates a fault may cause, derived from how the route delivers (docs/reliability.md, "Duplicate
 * bounds"): a record is repeated only when its result or dead letter was acknowledged by Kafka but its offset was not
 * committed by the instance that published it. A consumer holds at most one batch of at most
 * {@code KAFKA_MAX_POLL_RECORDS} records between publication and commit (the batching consumer dispatches at most that
 * many, the commit follows the batch's sends synchronously, and the next batch starts only after it), so one fault
 * event repeats at most one batch for each consumer it hits.
 *
 * @param maxPollRecords the {@code KAFKA_MAX_POLL_RECORDS} the test gives the service ({@link #settings()})
 * @param batchesAtRisk  how many batches the test's fault events can repeat: one per event and consumer hit
 * @param why            which events and consumers those are, for the report
 */
public record DuplicateBound(int maxPollRecords, int batchesAtRisk, String why) {

    /**
     * The batch size the fault tests run with: small enough that the bound says something at their 150 records/s
     * (a backlog after a fault is read in batches of exactly this size), large enough for the service to keep up.
     */
    public static final int FAULT_TEST_MAX_POLL_RECORDS = 100;

    /**
     * The consumer threads a service of the fault tests runs with the shipped default: one per partition of their
     * 2-partition input, at most one per core ({@link ConsumerThreads}).
     */
    public static final int SERVICE_CONSUMER_THREADS = ConsumerThreads.forPartitions(2,
            Runtime.getRuntime().availableProcessors());

    /** A bound of {@code batchesAtRisk} batches of {@value #FAULT_TEST_MAX_POLL_RECORDS} records. */
    public static DuplicateBound batches(int batchesAtRisk, String why) {
        return new DuplicateBound(FAULT_TEST_MAX_POLL_RECORDS, batchesAtRisk, why);
    }

    /** A fault that hits every consumer thread of one service: one batch for each ({@link #SERVICE_CONSUMER_THREADS}). */
    public static DuplicateBound everyConsumerThread(String why) {
        return batches(SERVICE_CONSUMER_THREADS, why + ", for each of the service's " + SERVICE_CONSUMER_THREADS
                + " consumer threads");
    }

    /** The service's environment that makes the bound hold: its batch size. */
    public Map<String, String> settings() {
        return Map.of("KAFKA_MAX_POLL_RECORDS", String.valueOf(maxPollRecords));
    }

    public int records() {
        return batchesAtRisk * maxPollRecords;
    }

    /** Fails when the audit counted more duplicates, results and dead letters together, than the bound allows. */
    public void assertHolds(DeliveryAudit.Report report) {
        assertHolds(report.fault(), report.duplicates());
    }

    /** Fails when {@code duplicates}, counted by the audit of {@code what}, exceed the bound. */
    public void assertHolds(String what, int duplicates) {
        System.out.printf("RELIABILITY | %s | duplicates %d, bound %d (%d batches of %d: %s)%n", what, duplicates,
                records(), batchesAtRisk, maxPollRecords, why);
        assertTrue(duplicates <= records(), what + ": " + duplicates + " duplicates exceed the bound of " + records()
                + " (" + batchesAtRisk + " batches of " + maxPollRecords + ": " + why + ")");
    }
}
