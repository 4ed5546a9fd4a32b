package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.EpisodeEvent;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.FiniteJson;
import io.github.plantwatch.anomaly.contract.Rejection;
import io.github.plantwatch.anomaly.contract.ResultWriter;
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
    private final ThresholdRecalibration recalibration;
    /** Per input partition: the offset the next batch starts at if nothing happened in between. */
    private final Map<Integer, Long> nextOffset = new ConcurrentHashMap<>();
    /** Per input partition: the streams seen on it (a stream stays on one partition: the key is its asset). */
    private final Map<Integer, Set<String>> streamsOf = new ConcurrentHashMap<>();

    /** @param recalibration counts the batches' verdicts toward their sets' recalibrated thresholds */
    public AnomalyScorer(MessageScorer scorer, StreamCheckpoints checkpoints, ThresholdRecalibration recalibration) {
        this.scorer = scorer;
        this.checkpoints = checkpoints;
        this.recalibration = recalibration;
    }

    public ScoredBatch score(DecodedBatch batch) {
        List<DecodedBatch.Accepted> accepted = batch.accepted();
        Map<Integer, long[]> offsets = offsetRanges(batch);
        restoreWhereNeeded(accepted, offsets);
        Map<String, StreamStates.Mark> marks = new LinkedHashMap<>();
        Map<String, StreamCheckpoint.Before> before = new LinkedHashMap<>();
        for (DecodedBatch.Accepted message : accepted) {
            marks.computeIfAbsent(message.message().streamKey(), stream -> {
                StreamStates.Mark mark = scorer.mark(message.message());
                before.put(stream, new StreamCheckpoint.Before(offset(message.source().getMessage()), mark.snapshot()));
                return mark;
            });
        }
        Scored[] scored;
        Map<String, byte[]> states;
        try {
            scored = together(accepted);
            states = checkpoints(accepted, scored, before);
        } catch (RuntimeException e) {
            // some record's scoring, explanation or serialisation throws: take the batch back and find which
            LOG.error("Scoring a batch of {} messages failed ({}): scoring them one at a time, to set aside only "
                    + "those that fail", accepted.size(), e.toString());
            marks.forEach(scorer::rollback);
            states = new LinkedHashMap<>();
            scored = oneByOne(accepted, before, states);
        }
        List<AnomalyResult> results = new ArrayList<>(scored.length);
        List<byte[]> resultJson = new ArrayList<>(scored.length);
        List<DecodedBatch.Rejected> rejected = new ArrayList<>(batch.rejected());
        List<EpisodeEvent> episodes = new ArrayList<>();
        List<byte[]> episodeJson = new ArrayList<>();
        Map<String, DecodedBatch.Accepted> lastOfStream = new LinkedHashMap<>();
        for (int i = 0; i < scored.length; i++) {
            Scored outcome = scored[i];
            if (outcome.result() != null) {
                results.add(outcome.result());
                resultJson.add(outcome.json());
                if (outcome.episode() != null) {
                    episodes.add(outcome.episode());
                    episodeJson.add(outcome.episodeJson());
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
            int partition = partition(last.source().getMessage());
            streamsOf.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(stream);
            byte[] state = states.get(stream);
            if (state != null) {
                moved.add(new ScoredBatch.Checkpoint(stream, partition, state));
            }
        }
        recalibration.observe(results);
        return new ScoredBatch(results, rejected, episodes, moved, resultJson, episodeJson);
    }

    /** One message's outcome, its result and episode event already written as the topics' JSON. */
    private record Scored(AnomalyResult result, byte[] json, EpisodeEvent episode, byte[] episodeJson,
                          Rejection rejection) {
    }

    /** The usual way: the whole batch in one call to the scorer (batched detector calls). */
    private Scored[] together(List<DecodedBatch.Accepted> accepted) {
        List<FeatureMessage> messages = new ArrayList<>(accepted.size());
        for (DecodedBatch.Accepted message : accepted) {
            messages.add(message.message());
        }
        List<MessageScorer.Outcome> outcomes = scorer.score(messages);
        Scored[] scored = new Scored[outcomes.size()];
        for (int i = 0; i < scored.length; i++) {
            scored[i] = written(outcomes.get(i), accepted.get(i).source().getMessage());
        }
        return scored;
    }

    /** The changelog record of every stream the batch moved, by stream. */
    private Map<String, byte[]> checkpoints(List<DecodedBatch.Accepted> accepted, Scored[] scored,
                                            Map<String, StreamCheckpoint.Before> before) {
        Map<String, FeatureMessage> last = new LinkedHashMap<>();
        for (int i = 0; i < scored.length; i++) {
            if (scored[i].result() != null) {
                last.put(accepted.get(i).message().streamKey(), accepted.get(i).message());
            }
        }
        Map<String, byte[]> states = new LinkedHashMap<>();
        last.forEach((stream, message) -> checkpoint(message, before, states));
        return states;
    }

    /** Puts the changelog record of the message's stream, as the stream is now, into {@code states}. */
    private void checkpoint(FeatureMessage message, Map<String, StreamCheckpoint.Before> before,
                            Map<String, byte[]> states) {
        StreamSnapshot after = scorer.snapshot(message);
        if (after != null) {
            states.put(message.streamKey(), new StreamCheckpoint(before.get(message.streamKey()), after).encode());
        }
    }

    /**
     * After a failure: each message alone, in order (the verdicts are those of the batch: scoring is causal and
     * does not depend on how records are batched). A message whose scoring, explanation or serialisation (result,
     * episode event, its stream's changelog record) throws is rejected as a scoring error, and its stream is put
     * back as it was before it, so the records after it are judged as if it had never come.
     */
    private Scored[] oneByOne(List<DecodedBatch.Accepted> accepted, Map<String, StreamCheckpoint.Before> before,
                              Map<String, byte[]> states) {
        Scored[] scored = new Scored[accepted.size()];
        for (int i = 0; i < scored.length; i++) {
            FeatureMessage message = accepted.get(i).message();
            StreamStates.Mark mark = scorer.mark(message);
            try {
                scored[i] = written(scorer.score(List.of(message)).getFirst(), accepted.get(i).source().getMessage());
                if (scored[i].result() != null) {
                    checkpoint(message, before, states);
                }
            } catch (RuntimeException e) {
                scorer.rollback(message.streamKey(), mark);
                scored[i] = new Scored(null, null, null, null, Rejection.scoringError(e));
                LOG.error("Scoring error on {}/{}@{}, the record is set aside", accepted.get(i).source().getMessage()
                        .getHeader(KafkaConstants.TOPIC), partition(accepted.get(i).source().getMessage()),
                        offset(accepted.get(i).source().getMessage()), e);
            }
        }
        return scored;
    }

    /** An outcome with its result (given its result_id) and episode event written as JSON, finite numbers only. */
    private static Scored written(MessageScorer.Outcome outcome, Message record) {
        if (outcome.result() == null) {
            return new Scored(null, null, null, null, outcome.rejection());
        }
        AnomalyResult result = outcome.result().withResultId(resultId(record));
        EpisodeEvent episode = outcome.episode();
        return new Scored(result, ResultWriter.write(result), episode,
                episode == null ? null : FiniteJson.write(episode), null);
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
