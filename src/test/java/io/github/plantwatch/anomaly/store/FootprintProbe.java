package io.github.plantwatch.anomaly.store;

import io.github.plantwatch.anomaly.support.HeapReading;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM of its own by {@link ModelFootprintTest}: decodes copies of a model set from a file, holds them
 * and prints the heap one copy adds. A fresh JVM has no other test's garbage to blur the reading.
 */
public final class FootprintProbe {

    private FootprintProbe() {
    }

    public static void main(String[] args) throws Exception {
        byte[] serialized = Files.readAllBytes(Path.of(args[0]));
        int copies = Integer.parseInt(args[1]);
        List<Object> held = new ArrayList<>();
        held.add(read(serialized)); // classes loaded and initialized before measuring
        long before = HeapReading.usedAfterGc();
        for (int i = 0; i < copies; i++) {
            held.add(read(serialized));
        }
        long after = HeapReading.usedAfterGc();
        System.out.println("heap-per-copy=" + (after - before) / copies + " held=" + held.size());
    }

    private static Object read(byte[] serialized) {
        return ModelSetFormat.decode(serialized);
    }
}
