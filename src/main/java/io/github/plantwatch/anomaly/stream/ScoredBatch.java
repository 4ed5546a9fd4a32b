package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.EpisodeEvent;

import java.util.List;

/**
 * One batch after scoring: a result per scored message, in input order, every rejected record, the changes of the
 * streams' anomaly episodes, and the state of every stream the batch moved, for the stream-state changelog. Results
 * and episode events come already written as their topics' JSON ({@code resultJson}, {@code episodeJson}, one per
 * result and event, same order): writing is part of scoring a record, so a record that cannot be written is set
 * aside alone, as a scoring error, before anything is sent.
 */
public record ScoredBatch(List<AnomalyResult> results, List<DecodedBatch.Rejected> rejected,
                         List<EpisodeEvent> episodes, List<Checkpoint> checkpoints, List<byte[]> resultJson,
                         List<byte[]> episodeJson) {

    /** A stream's state after the batch, to be written to the changelog partition of its input partition. */
    public record Checkpoint(String streamKey, int partition, byte[] state) {
    }
}
