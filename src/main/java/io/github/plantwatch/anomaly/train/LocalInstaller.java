package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.contract.ModelSetSummary;
import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.store.ModelSetFormat;
import io.github.plantwatch.anomaly.store.ModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Puts sets into service on this instance: saved in the model directory first (the set it replaces stays there as
 * the scope's previous one), then swapped into the registry.
 */
public final class LocalInstaller implements ModelInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(LocalInstaller.class);

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

    private synchronized ModelSet put(ModelSet models) throws IOException {
        ModelSetSummary summary = store.save(models);
        registry.install(models, summary.withLoaded(true));
        return models;
    }

    /**
     * A set read from the model log, as it is: saved in the model directory, now only a cache (a set that cannot be
     * saved is still put into service, and logged: the log keeps it for the next start).
     */
    public synchronized void putFromLog(ModelSet models) {
        ModelSetSummary summary;
        try {
            summary = store.save(models).withLoaded(true);
        } catch (IOException e) {
            LOG.error("Model set {} v{} from the model log is in service but not cached in {}: {}", models.scope(),
                    models.version(), store.directory(), e.toString());
            summary = ModelStore.summary(models, ModelSetFormat.encode(models).length, true);
        }
        registry.install(models, summary);
    }
}
