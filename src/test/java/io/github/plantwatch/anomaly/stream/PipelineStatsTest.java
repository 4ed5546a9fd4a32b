package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.observe.ServiceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whether the consumer is catching up on a backlog: what retraining waits for (BackgroundRetrainer). */
class PipelineStatsTest {

    private static final ScoredBatch EMPTY = new ScoredBatch(List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of());

    @Test
    void aFullBatchMeansCatchingUpAndPartialBatchesDoNot() {
        PipelineStats stats = new PipelineStats(new ServiceMetrics(new SimpleMeterRegistry(),
                new ModelRegistry(scope -> Optional.empty(), List.of(), 1 << 20)), 500);
        assertFalse(stats.catchingUp(), "nothing consumed yet");
        stats.record(40, System.currentTimeMillis(), EMPTY);
        assertFalse(stats.catchingUp(), "a partial batch: the consumer found everything there was");
        stats.record(500, System.currentTimeMillis(), EMPTY);
        assertTrue(stats.catchingUp(), "a full batch: more records were waiting");
    }
}
