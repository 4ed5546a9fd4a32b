package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.support.ProbeJvm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory one stream's state takes, measured in a JVM of its own ({@link StreamFootprintProbe}): 50,000 streams
 * after 2,000 (the first keep the retraining histories). The bound keeps the shipped scoring.max-streams (100,000)
 * within a few hundred MiB of the heap (docs/performance.md, "Streams and model sets at scale").
 */
class StreamFootprintTest {

    /** 100,000 streams in 400 MiB at most. */
    private static final long MAX_BYTES_PER_STREAM = 4096;

    @Test
    void aStreamTakesAFewKilobytesOfHeap() throws Exception {
        long perStream = ProbeJvm.figure("heap-per-stream", StreamFootprintProbe.class, "2000", "50000");
        System.out.printf("stream state: %d bytes of heap per stream%n", perStream);
        assertTrue(perStream > 0 && perStream <= MAX_BYTES_PER_STREAM, "measured " + perStream + " bytes per stream");
    }
}
