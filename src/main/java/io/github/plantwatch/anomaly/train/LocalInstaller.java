package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.contract.ModelSetSummary;
import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.store.ModelStore;

import java.io.IOException;

/**
 * Puts sets into service on this instance: saved in the model directory first (the set it replaces stays there as
 * the scope's previous one), then swapped into the registry.
 */
public final class LocalInstaller implements ModelInstaller {

    private final ModelStore store;
    private final ModelRegistry registry;

    public LocalInstaller(ModelStore store, ModelRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Under the scope's next version as this instance knows it: for a service without a model log. */
    @Override
    public synchronized ModelSet install(ModelSet trained) throws IOException {
        return put(trained.as(trained.scope(), registry.nextVersion(trained.scope())));
    }

    /** As it is: a set whose version the model log gave. */
    public synchronized ModelSet put(ModelSet models) throws IOException {
        ModelSetSummary summary = store.save(models);
        registry.install(models, summary.withLoaded(true));
        return models;
    }
}
