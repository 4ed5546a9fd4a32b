package io.github.plantwatch.anomaly.detect;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** The model set in service. Scoring reads it once per batch, so a swap never mixes two sets within a batch. */
public final class ModelRegistry implements ModelResolver {

    private final AtomicReference<ModelSet> current = new AtomicReference<>();
    private final List<Consumer<ModelSet>> listeners = new CopyOnWriteArrayList<>();

    public Optional<ModelSet> current() {
        return Optional.ofNullable(current.get());
    }

    @Override
    public Optional<ModelSet> forAsset(String assetId) {
        return current();
    }

    public void install(ModelSet models) {
        current.set(models);
        for (Consumer<ModelSet> listener : listeners) {
            listener.accept(models);
        }
    }

    /** Called after every {@link #install}, on the installing thread. */
    public void onInstall(Consumer<ModelSet> listener) {
        listeners.add(listener);
    }
}
