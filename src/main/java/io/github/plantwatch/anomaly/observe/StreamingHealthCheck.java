package io.github.plantwatch.anomaly.observe;

import io.github.plantwatch.anomaly.stream.FailedBatchBackoff;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness: DOWN while the streaming route is paused on a batch that keeps failing, with the reason. */
public final class StreamingHealthCheck extends AbstractHealthCheck {

    private final FailedBatchBackoff backoff;

    public StreamingHealthCheck(FailedBatchBackoff backoff) {
        super("anomaly", "streaming");
        this.backoff = backoff;
    }

    @Override
    public boolean isLiveness() {
        return false; // a topic that cannot be written is not fixed by a restart
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String paused = backoff.pausedBecause();
        if (paused != null) {
            builder.message("streaming paused: " + paused).down();
        } else {
            builder.up();
        }
    }
}
