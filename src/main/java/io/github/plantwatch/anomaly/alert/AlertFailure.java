package io.github.plantwatch.anomaly.alert;

import io.github.plantwatch.anomaly.contract.Excerpt;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.model.RedeliveryPolicyDefinition;

/**
 * Names why an alert could not be delivered, on the dead letter itself ({@code x-error-reason}: the exception's
 * class and a bounded message), as the scoring route's dead letters do.
 */
public final class AlertFailure implements Processor {

    /** Long enough for an HTTP failure's URL and status code. */
    private static final int REASON_LENGTH = 500;

    /**
     * The alert route's error handler: {@code retries} redeliveries, the first after {@code delayMillis}, each wait
     * twice the last up to {@code maxDelayMillis}; then the original episode event goes to {@code deadLetterUri}
     * with the reason.
     */
    public static DeadLetterChannelBuilder errorHandler(String deadLetterUri, int retries, long delayMillis,
                                                        long maxDelayMillis) {
        DeadLetterChannelBuilder handler = new DeadLetterChannelBuilder(deadLetterUri);
        handler.setUseOriginalMessage("true");
        handler.setOnPrepareFailureProcessor(new AlertFailure());
        handler.setRedeliveryPolicy(new RedeliveryPolicyDefinition()
                .maximumRedeliveries(retries)
                .redeliveryDelay(delayMillis)
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(maxDelayMillis)
                .retryAttemptedLogLevel(org.apache.camel.LoggingLevel.WARN));
        return handler;
    }

    @Override
    public void process(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.getMessage().setHeader("x-error-type", "alert_undeliverable");
        exchange.getMessage().setHeader("x-error-reason", cause == null ? "unknown"
                : Excerpt.of(cause.getClass().getSimpleName() + ": " + cause.getMessage(), REASON_LENGTH));
    }
}
