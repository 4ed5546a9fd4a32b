package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.EpisodeEvent;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streaming route's scoring step: hands a decoded batch's messages to the {@link MessageScorer}, sets aside,
 * with their source record, the messages it rejects (feature names that differ from the trained ones), and
 * collects the state every stream of the batch is left in, for the stream-state changelog.
 * <p>
 * Before scoring, the streams of an input partition are restored from the changelog whenever this instance's
 * memory of them may be wrong: the first batch of the partition since start, a batch that does not start where
 * the last one it scored ended (the partition was scored elsewhere meanwhile: a rebalance), or one that starts
 * before it (the same batch read again after a failure: its streams go back to their state at the last commit,
 * so no record is applied twice). The changelog holds each stream's state as of its partition's last commit (it
 * is written before the offsets are committed).
 */
public final class AnomalyScorer {

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyScorer.class);

    private final MessageScorer scorer;
    private final StreamCheckpoints checkpoints;
    /** Per input partition: the offset the next batch starts at if nothing happened in between. */
    private final Map<Integer, Long> nextOffset = new ConcurrentHashMap<>();
    /** Per input partition: the streams seen on it (a stream stays on one partition: the key is its asset). */
    private final Map<Integer, Set<String>> streamsOf = new ConcurrentHashMap<>();

    public AnomalyScorer(MessageScorer scorer, StreamCheckpoints checkpoints) {
        this.scorer = scorer;
        this.checkpoints = checkpoints;
    }

    public ScoredBatch score(DecodedBatch batch) {
        List<DecodedBatch.Accepted> accepted = batch.accepted();
        Map<Integer, long[]> offsets = offsetRanges(batch);
        restoreWhereNeeded(accepted, offsets);
        Map<String, StreamCheckpoint.Before> before = new LinkedHashMap<>();
        for (DecodedBatch.Accepted message : accepted) {
            before.computeIfAbsent(message.message().streamKey(), stream -> new StreamCheckpoint.Before(
                    offset(message.source().getMessage()), scorer.snapshot(message.message())));
        }
        List<FeatureMessage> messages = new ArrayList<>(accepted.size());
        for (DecodedBatch.Accepted message : accepted) {
            messages.add(message.message());
        }
        List<MessageScorer.Outcome> outcomes = scorer.score(messages);
        List<AnomalyResult> results = new ArrayList<>(outcomes.size());
        List<DecodedBatch.Rejected> rejected = new ArrayList<>(batch.rejected());
        List<EpisodeEvent> episodes = new ArrayList<>();
        Map<String, DecodedBatch.Accepted> lastOfStream = new LinkedHashMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            MessageScorer.Outcome outcome = outcomes.get(i);
            Message record = accepted.get(i).source().getMessage();
            if (outcome.result() != null) {
                results.add(outcome.result().withResultId(resultId(record)));
                if (outcome.episode() != null) {
                    episodes.add(outcome.episode());
                }
                lastOfStream.put(accepted.get(i).message().streamKey(), accepted.get(i));
            } else {
                rejected.add(new DecodedBatch.Rejected(accepted.get(i).source(), outcome.rejection()));
                FeatureBatchDecoder.logRejection(accepted.get(i).source(), outcome.rejection());
            }
        }
        offsets.forEach((partition, range) -> nextOffset.put(partition, range[1] + 1));
        List<ScoredBatch.Checkpoint> moved = new ArrayList<>(lastOfStream.size());
        for (DecodedBatch.Accepted last : lastOfStream.values()) {
            String stream = last.message().streamKey();
            StreamSnapshot after = scorer.snapshot(last.message());
            int partition = partition(last.source().getMessage());
            streamsOf.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(stream);
            if (after != null) {
                moved.add(new ScoredBatch.Checkpoint(stream, partition,
                        new StreamCheckpoint(before.get(stream), after).encode()));
            }
        }
        return new ScoredBatch(results, rejected, episodes, moved);
    }

    /** Per partition, the first and last offset of the batch's records, valid or not. */
    private static Map<Integer, long[]> offsetRanges(DecodedBatch batch) {
        Map<Integer, long[]> ranges = new LinkedHashMap<>();
        List<Exchange> sources = new ArrayList<>();
        batch.accepted().forEach(message -> sources.add(message.source()));
        batch.rejected().forEach(record -> sources.add(record.source()));
        for (Exchange source : sources) {
            long offset = offset(source.getMessage());
            long[] range = ranges.computeIfAbsent(partition(source.getMessage()), p -> new long[]{offset, offset});
            range[0] = Math.min(range[0], offset);
            range[1] = Math.max(range[1], offset);
        }
        return ranges;
    }

    private void restoreWhereNeeded(List<DecodedBatch.Accepted> accepted, Map<Integer, long[]> offsets) {
        Map<Integer, Set<String>> batchStreams = new LinkedHashMap<>();
        for (DecodedBatch.Accepted message : accepted) {
            batchStreams.computeIfAbsent(partition(message.source().getMessage()), p -> new HashSet<>())
                    .add(message.message().streamKey());
        }
        offsets.forEach((partition, range) -> {
            Long expected = nextOffset.get(partition);
            if (expected == null || expected != range[0]) {
                restore(partition, batchStreams.getOrDefault(partition, Set.of()), expected, range[0]);
            }
        });
    }

    /**
     * Restores the partition's streams as of the batch about to be scored, which starts at {@code first}: a
     * stream's state after its last checkpointed batch, or before it when that batch is the one read again (it
     * was checkpointed, then not committed): so no record is applied twice, and its duplicate verdicts are its
     * first ones.
     */
    private void restore(int partition, Set<String> inBatch, Long expected, long first) {
        Map<String, byte[]> saved = checkpoints.restore(partition);
        Set<String> streams = new HashSet<>(saved.keySet());
        streams.addAll(inBatch);
        streams.addAll(streamsOf.getOrDefault(partition, Set.of()));
        int restored = 0;
        for (String stream : streams) {
            byte[] state = saved.get(stream);
            StreamSnapshot snapshot = null;
            if (state != null) {
                try {
                    snapshot = StreamCheckpoint.decode(state).asOf(first);
                    restored++;
                } catch (IllegalArgumentException e) {
                    LOG.error("Stream state of {} unreadable, the stream starts again: {}", stream, e.getMessage());
                }
            }
            scorer.restore(stream, snapshot);
        }
        Set<String> known = ConcurrentHashMap.newKeySet();
        known.addAll(saved.keySet());
        streamsOf.put(partition, known);
        LOG.info("Partition {}: {} stream states restored from the changelog ({})", partition, restored,
                expected == null ? "first batch since start" : expected < first ? "scored elsewhere meanwhile"
                        : "batch read again");
    }

    private static int partition(Message record) {
        return record.getHeader(KafkaConstants.PARTITION, Integer.class);
    }

    private static long offset(Message record) {
        return record.getHeader(KafkaConstants.OFFSET, Long.class);
    }

    private static String resultId(Message record) {
        return AnomalyResult.resultId(record.getHeader(KafkaConstants.TOPIC, String.class), partition(record),
                offset(record));
    }
}
