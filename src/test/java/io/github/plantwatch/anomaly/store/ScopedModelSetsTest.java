package io.github.plantwatch.anomaly.store;

import io.github.plantwatch.anomaly.contract.ModelSetSummary;
import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.detect.ModelScope;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model sets per asset and per group: which one scores an asset, persistence, lazy loading, the memory budget. */
class ScopedModelSetsTest {

    private static final TrainingSettings POINT_MODELS = new TrainingSettings(
            List.of("isolation_forest", "one_class_svm"), 0.01, 5, 1, 50, 42, 0.25, 0.5);

    @TempDir
    Path directory;

    private static ModelSet train(ModelScope scope, List<String> members, long version, int seed) {
        return new ModelTrainer().train(new TrainingRequest(new SensorData(seed).healthyRows(300),
                SensorData.FEATURES, POINT_MODELS, scope, members), version, step -> { });
    }

    /** Saves and installs as the training service does; returns the summary. */
    private static ModelSetSummary put(ModelStore store, ModelRegistry registry, ModelSet set) throws Exception {
        ModelSetSummary summary = store.save(set);
        registry.install(set, summary.withLoaded(true));
        return summary;
    }

    @Test
    void anAssetIsScoredByItsOwnSetElseItsGroupsElseTheGlobalOne() throws Exception {
        ModelStore store = new ModelStore(directory);
        ModelRegistry registry = new ModelRegistry(store::load, List.of(), Long.MAX_VALUE);
        put(store, registry, train(ModelScope.GLOBAL, List.of(), 1, 1));
        put(store, registry, train(ModelScope.group("pumps"), List.of("P-1", "P-2"), 1, 2));
        put(store, registry, train(ModelScope.asset("P-1"), List.of(), 1, 3));

        assertEquals("asset:P-1", registry.forAsset("P-1").orElseThrow().scope().key());
        assertEquals("group:pumps", registry.forAsset("P-2").orElseThrow().scope().key());
        assertEquals("global", registry.forAsset("FAN-7").orElseThrow().scope().key());

        // a restart: the global set loads at once, the others are known from their summaries and load on use
        ModelRegistry restarted = new ModelRegistry(store::load, store.scopedSummaries(), Long.MAX_VALUE);
        assertFalse(restarted.isEmpty());
        assertTrue(restarted.summaries().stream().noneMatch(ModelSetSummary::loaded), "nothing loaded yet");
        assertEquals("group:pumps", restarted.forAsset("P-2").orElseThrow().scope().key());
        assertEquals(List.of("group:pumps"), restarted.summaries().stream().filter(ModelSetSummary::loaded)
                .map(ModelSetSummary::modelScope).toList());
        assertEquals("asset:P-1", restarted.forAsset("P-1").orElseThrow().scope().key());
        assertTrue(restarted.forAsset("FAN-7").isEmpty(), "the global set is installed at start by the service");
        assertEquals(2, restarted.nextVersion(ModelScope.asset("P-1")));
    }

    @Test
    void keepsLoadedSetsWithinTheMemoryBudgetEvictingTheLeastRecentlyUsed() throws Exception {
        ModelStore store = new ModelStore(directory);
        List<ModelSetSummary> summaries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            summaries.add(store.save(train(ModelScope.asset("A-" + i), List.of(), 1, 10 + i)));
        }
        long one = summaries.stream().mapToLong(ModelSetSummary::footprintBytes).max().orElseThrow();
        List<String> reads = new ArrayList<>();
        ModelRegistry registry = new ModelRegistry(scope -> {
            reads.add(scope.key());
            return store.load(scope);
        }, store.scopedSummaries(), 2 * one + one / 2);

        registry.forAsset("A-0");
        registry.forAsset("A-1");
        registry.forAsset("A-0"); // A-0 used last: A-1 is now the least recently used
        registry.forAsset("A-2"); // a third set does not fit: A-1 goes
        assertTrue(registry.loadedBytes() <= 2 * one + one / 2);
        assertEquals(List.of("asset:A-0", "asset:A-2"), registry.summaries().stream()
                .filter(ModelSetSummary::loaded).map(ModelSetSummary::modelScope).toList());
        registry.forAsset("A-0");
        assertEquals(List.of("asset:A-0", "asset:A-1", "asset:A-2"), reads, "A-0 stayed: read once");
        registry.forAsset("A-1");
        assertEquals("asset:A-1", reads.getLast(), "an evicted set is read again when needed");
    }

    @Test
    void storesEachScopeApartWithTheChecksumAndFallbackOfTheGlobalSet() throws Exception {
        ModelStore store = new ModelStore(directory);
        store.save(train(ModelScope.asset("../etc"), List.of(), 1, 4));
        store.save(train(ModelScope.asset("../etc"), List.of(), 2, 5));
        Path folder = directory.resolve("assets").resolve("%2E%2E%2Fetc");
        assertTrue(Files.exists(folder.resolve("model-set.bin")), "names are encoded: no path escapes the directory");
        assertTrue(Files.exists(folder.resolve("model-set.previous.bin")));
        Files.write(folder.resolve("model-set.bin"), new byte[]{1, 2, 3});
        Optional<ModelSet> loaded = store.load(ModelScope.asset("../etc"));
        assertEquals(1, loaded.orElseThrow().version(), "a corrupt current file falls back to the previous one");
    }
}
