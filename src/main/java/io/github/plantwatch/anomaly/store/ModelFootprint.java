package io.github.plantwatch.anomaly.store;

/**
 * Estimates the heap a loaded model set takes from the size of its file ({@link ModelSetFormat}), for the memory
 * budget of loaded sets ({@code models.memory-budget-mb}). A loaded set is the file's arrays, in memory: measured
 * (ModelFootprintTest, all three detectors, 1,000 rows) 544,602 bytes of heap for a 542,533-byte file; the factor
 * {@value #HEAP_PER_SERIALIZED_BYTE} leaves room for the object headers of small sets.
 */
public final class ModelFootprint {

    static final int HEAP_PER_SERIALIZED_BYTE = 2;

    private ModelFootprint() {
    }

    public static long estimate(long serializedBytes) {
        return HEAP_PER_SERIALIZED_BYTE * serializedBytes;
    }
}
