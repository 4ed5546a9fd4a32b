package io.github.plantwatch.anomaly.store;

/**
 * Estimates the heap a loaded model set takes from the size of its serialized form, for the memory budget of
 * loaded sets ({@code models.memory-budget-mb}). Measured (ModelFootprintTest): deserialized, a set takes at most
 * {@value #HEAP_PER_SERIALIZED_BYTE} times its serialized size (Smile's forest is a tree of small objects,
 * bigger in memory than on disk; the LSTM keeps its float weights and its network's serialized bytes).
 */
public final class ModelFootprint {

    static final int HEAP_PER_SERIALIZED_BYTE = 3;

    private ModelFootprint() {
    }

    public static long estimate(long serializedBytes) {
        return HEAP_PER_SERIALIZED_BYTE * serializedBytes;
    }
}
