package io.github.plantwatch.anomaly.observe;

import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.detect.ModelSet;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness: the service scores only once a model set is in service. */
public final class ModelsHealthCheck extends AbstractHealthCheck {

    private final ModelRegistry registry;

    public ModelsHealthCheck(ModelRegistry registry) {
        super("anomaly", "models");
        this.registry = registry;
    }

    @Override
    public boolean isLiveness() {
        return false; // not having models yet is no reason to restart the process
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ModelSet models = registry.current().orElse(null);
        if (models == null) {
            builder.message("no model trained yet: POST /api/v1/anomalies/train").down();
            return;
        }
        builder.detail("model_version", models.version()).detail("trained_at", models.trainedAt().toString()).up();
    }
}
