package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.contract.ModelSetSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The model sets in service. The global set stays in memory; group and asset sets are known by their summaries
 * and loaded on first use, then kept while their estimated footprint fits the memory budget, the least recently
 * used evicted first (a set evicted is loaded again when next needed). For an asset, the most specific set wins:
 * its own, else its group's, else the global one.
 */
public final class ModelRegistry implements ModelResolver {

    private final AtomicReference<ModelSet> global = new AtomicReference<>();
    private volatile ModelSetSummary globalSummary;
    private final List<Consumer<ModelSet>> listeners = new CopyOnWriteArrayList<>();
    private final Function<ModelScope, Optional<ModelSet>> loader;
    private final long budgetBytes;
    /** Every scoped set known, by scope key (they may not be loaded). */
    private final Map<String, ModelSetSummary> known = new TreeMap<>();
    /** Which group's set serves an asset. */
    private final Map<String, String> groupOf = new HashMap<>();
    /** Loaded scoped sets, least recently used first. */
    private final LinkedHashMap<String, ModelSet> loaded = new LinkedHashMap<>(16, 0.75f, true);
    private long loadedBytes;

    /**
     * @param loader      reads a scoped set from the model directory
     * @param summaries   the scoped sets on disk at start
     * @param budgetBytes the most the loaded scoped sets may take together (by their footprint estimates)
     */
    public ModelRegistry(Function<ModelScope, Optional<ModelSet>> loader, List<ModelSetSummary> summaries,
                         long budgetBytes) {
        this.loader = loader;
        this.budgetBytes = budgetBytes;
        // oldest first: an asset named by two groups is served by the group trained last
        summaries.stream().sorted(Comparator.comparing(ModelSetSummary::trainedAt)).forEach(this::know);
    }

    /** The global model set. */
    public Optional<ModelSet> current() {
        return Optional.ofNullable(global.get());
    }

    /** Whether any model set exists, of any scope. */
    public synchronized boolean isEmpty() {
        return global.get() == null && known.isEmpty();
    }

    @Override
    public Optional<ModelSet> forAsset(String assetId) {
        Optional<ModelSet> own = scoped(ModelScope.asset(assetId));
        return own.isPresent() ? own : sharedFor(assetId);
    }

    /** The set that serves an asset when it has none of its own: its group's, else the global one. */
    public Optional<ModelSet> sharedFor(String assetId) {
        String group;
        synchronized (this) {
            group = groupOf.get(assetId);
        }
        Optional<ModelSet> shared = group == null ? Optional.empty() : scoped(ModelScope.group(group));
        return shared.isPresent() ? shared : current();
    }

    /**
     * The set of a scope: the global one, or a scoped set from memory, else loaded (and made to fit the budget);
     * empty when there is none.
     */
    public Optional<ModelSet> scoped(ModelScope scope) {
        if (scope.kind() == ModelScope.Kind.GLOBAL) {
            return current();
        }
        String key = scope.key();
        ModelSetSummary summary;
        synchronized (this) {
            ModelSet resident = loaded.get(key);
            if (resident != null) {
                return Optional.of(resident);
            }
            summary = known.get(key);
            if (summary == null) {
                return Optional.empty();
            }
        }
        Optional<ModelSet> read = loader.apply(scope); // outside the lock: reading a file takes milliseconds
        synchronized (this) {
            if (loaded.containsKey(key)) {
                return Optional.of(loaded.get(key));
            }
            read.filter(set -> known.get(key) == summary).ifPresent(set -> keep(key, set, summary.footprintBytes()));
            return read;
        }
    }

    /** Puts a newly trained set in service, in place of its scope's previous one. */
    public void install(ModelSet models, ModelSetSummary summary) {
        if (models.scope().kind() == ModelScope.Kind.GLOBAL) {
            global.set(models);
            globalSummary = summary;
        } else {
            synchronized (this) {
                ModelSet replaced = loaded.remove(models.scope().key());
                if (replaced != null) {
                    loadedBytes -= footprint(models.scope().key());
                }
                know(summary);
                keep(models.scope().key(), models, summary.footprintBytes());
            }
        }
        for (Consumer<ModelSet> listener : listeners) {
            listener.accept(models);
        }
    }

    /** The version the next training of this scope gets. */
    public synchronized long nextVersion(ModelScope scope) {
        if (scope.kind() == ModelScope.Kind.GLOBAL) {
            return current().map(ModelSet::version).orElse(0L) + 1;
        }
        ModelSetSummary summary = known.get(scope.key());
        return summary == null ? 1 : summary.modelVersion() + 1;
    }

    /** The assets a group's set serves now. */
    public synchronized List<String> members(String group) {
        ModelSetSummary summary = known.get(ModelScope.group(group).key());
        return summary == null ? List.of() : summary.members();
    }

    /** Every set, with whether it is loaded now: the global one first, then the others in scope order. */
    public synchronized List<ModelSetSummary> summaries() {
        List<ModelSetSummary> summaries = new ArrayList<>();
        if (globalSummary != null) {
            summaries.add(globalSummary);
        }
        known.forEach((key, summary) -> summaries.add(summary.withLoaded(loaded.containsKey(key))));
        return summaries;
    }

    /** Bytes the loaded scoped sets take, by their estimates. */
    public synchronized long loadedBytes() {
        return loadedBytes;
    }

    /** Called after every {@link #install}, on the installing thread. */
    public void onInstall(Consumer<ModelSet> listener) {
        listeners.add(listener);
    }

    private void know(ModelSetSummary summary) {
        known.put(summary.modelScope(), summary);
        if (summary.modelScope().startsWith("group:")) {
            String group = summary.modelScope().substring("group:".length());
            summary.members().forEach(asset -> groupOf.put(asset, group));
        }
    }

    private void keep(String key, ModelSet set, long bytes) {
        loaded.put(key, set);
        loadedBytes += bytes;
        Iterator<Map.Entry<String, ModelSet>> eldest = loaded.entrySet().iterator();
        while (loadedBytes > budgetBytes && eldest.hasNext()) {
            Map.Entry<String, ModelSet> entry = eldest.next();
            if (entry.getKey().equals(key)) {
                continue; // the set just asked for stays, even alone over the budget
            }
            loadedBytes -= footprint(entry.getKey());
            eldest.remove();
        }
    }

    private long footprint(String key) {
        ModelSetSummary summary = known.get(key);
        return summary == null ? 0 : summary.footprintBytes();
    }
}
