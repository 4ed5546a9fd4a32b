package io.github.plantwatch.anomaly.stream;

import java.util.Map;

/** Where the streams' checkpoints are read back from: the stream-state changelog ({@code kafka/StreamStateLog}). */
@FunctionalInterface
public interface StreamCheckpoints {

    /** The newest checkpoint of every stream of one input partition, by stream key. */
    Map<String, byte[]> restore(int partition);
}
