package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.Excerpt;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * What the streaming route does when a batch fails as a whole (a topic it writes to cannot take records, Kafka
 * unreachable past the timeouts): the consumer reads the batch again from the last commit ({@code breakOnFirstError}),
 * but only after a wait that doubles with each failure in a row, from {@code firstDelayMillis} to
 * {@code maxDelayMillis}: a failure that lasts does not turn into a loop that republishes the batch's results as
 * fast as it can. After {@code pauseAfter} failures in a row the stream is paused: an ERROR names the topic and the
 * cause, the readiness check is DOWN, a gauge says so, and the batch is tried once per {@code maxDelayMillis} until
 * it goes through, when the stream resumes by itself. The wait runs on the consumer's thread, between the failed
 * batch and the next poll (within {@code max.poll.interval.ms}, see {@link BatchTimeBudget}).
 */
public final class FailedBatchBackoff extends RoutePolicySupport {

    private static final Logger LOG = LoggerFactory.getLogger(FailedBatchBackoff.class);

    private final String routeId;
    private final int pauseAfter;
    private final long firstDelayMillis;
    private final long maxDelayMillis;
    private final IntConsumer failuresInARow;
    private int failures;
    private volatile String pausedBecause;

    /** @param failuresInARow told the count after every batch (a metric) */
    public FailedBatchBackoff(String routeId, int pauseAfter, long firstDelayMillis, long maxDelayMillis,
                              IntConsumer failuresInARow) {
        this.routeId = routeId;
        this.pauseAfter = pauseAfter;
        this.firstDelayMillis = firstDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.failuresInARow = failuresInARow;
    }

    /** Why the stream is paused, or null while it flows. */
    public String pausedBecause() {
        return pausedBecause;
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        if (!routeId.equals(route.getRouteId())) {
            return;
        }
        if (exchange.getException() == null) {
            if (failures > 0) {
                LOG.info("Streaming {}: a batch went through after {} failed attempts",
                        pausedBecause != null ? "resumed" : "goes on", failures);
                failures = 0;
                pausedBecause = null;
                failuresInARow.accept(0);
            }
            return;
        }
        failures++;
        failuresInARow.accept(failures);
        long delay = Math.min(maxDelayMillis, firstDelayMillis << Math.min(failures - 1, 30));
        String cause = describe(exchange);
        if (failures >= pauseAfter) {
            if (pausedBecause == null) {
                LOG.error("Streaming paused: {} attempts in a row at one batch failed: {} -- the batch is tried "
                        + "again every {} s and the stream resumes by itself once it goes through; readiness is DOWN "
                        + "meanwhile", failures, cause, maxDelayMillis / 1000);
            }
            pausedBecause = cause;
        } else {
            LOG.warn("Batch failed ({} in a row), read again in {} ms: {}", failures, delay, cause);
        }
        try {
            TimeUnit.MILLISECONDS.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: the consumer will see it
        }
    }

    /** The step that failed (the topic, for a Kafka producer) and the exception, bounded. */
    private static String describe(Exchange exchange) {
        String endpoint = exchange.getProperty(ExchangePropertyKey.FAILURE_ENDPOINT, String.class);
        String where = "";
        if (endpoint != null) {
            String withoutQuery = endpoint.split("\\?")[0];
            where = withoutQuery.startsWith("kafka:")
                    ? "writing to topic " + withoutQuery.substring("kafka:".length()).replaceFirst("^//", "") + ": "
                    : "at " + withoutQuery + ": ";
        }
        Throwable cause = exchange.getException();
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return where + Excerpt.of(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 300);
    }
}
