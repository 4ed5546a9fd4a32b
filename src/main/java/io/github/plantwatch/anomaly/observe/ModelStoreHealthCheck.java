package io.github.plantwatch.anomaly.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The model directory must be writable, or the next training run cannot be persisted. */
public final class ModelStoreHealthCheck extends AbstractHealthCheck {

    private final Path directory;

    public ModelStoreHealthCheck(Path directory) {
        super("anomaly", "model-store");
        this.directory = directory;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("directory", directory.toAbsolutePath().toString());
        Path existing = directory.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent(); // created on first save: its nearest existing parent must be writable
        }
        if (existing != null && Files.isDirectory(existing) && Files.isWritable(existing)) {
            builder.up();
        } else {
            builder.message("model directory " + directory + " is not writable").down();
        }
    }
}
