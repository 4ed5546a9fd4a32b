package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.ModelSet;

import java.io.IOException;

/**
 * Puts a trained set into service under its scope's next version: through the model log every instance reads
 * ({@code kafka/ModelLog}), or, without one, on this instance alone ({@link LocalInstaller}).
 */
@FunctionalInterface
public interface ModelInstaller {

    /** @return the set as it is in service (with the version it was given) */
    ModelSet install(ModelSet trained) throws IOException;
}
