package io.github.plantwatch.anomaly.support;

import java.lang.management.ManagementFactory;

/** The heap in use, for the footprint probes: read in a JVM of their own, so no other test's garbage blurs it. */
public final class HeapReading {

    private HeapReading() {
    }

    /** The lowest of a few readings, each after a full collection. */
    public static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
