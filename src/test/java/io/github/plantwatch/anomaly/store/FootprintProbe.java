package io.github.plantwatch.anomaly.store;

import java.lang.management.ManagementFactory;
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
        long before = usedHeapAfterGc();
        for (int i = 0; i < copies; i++) {
            held.add(read(serialized));
        }
        long after = usedHeapAfterGc();
        System.out.println("heap-per-copy=" + (after - before) / copies + " held=" + held.size());
    }

    private static Object read(byte[] serialized) {
        return ModelSetFormat.decode(serialized);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // the lowest of a few reads after full collections
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
