package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.EpisodeEvent;
import io.github.plantwatch.anomaly.contract.RejectionReason;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the Kafka records a scored batch produces, as Camel messages the kafka producer sends in one go
 * ({@code batchWithIndividualHeaders}): results keyed by asset_id, and dead letters.
 */
public final class OutboundRecords {

    /** Headers every dead letter carries; names are the operator-facing contract (README). */
    public static final String ERROR_TYPE = "x-error-type";
    public static final String ERROR_REASON = "x-error-reason";
    public static final String SOURCE_TOPIC = "x-source-topic";
    public static final String SOURCE_PARTITION = "x-source-partition";
    public static final String SOURCE_OFFSET = "x-source-offset";
    /** Only on dead letters of {@code too_large} records, which carry an excerpt. */
    public static final String ORIGINAL_SIZE = "x-original-size";
    static final int EXCERPT_BYTES = 1024;

    private final CamelContext context;

    public OutboundRecords(CamelContext context) {
        this.context = context;
    }

    /** Headers every result carries, for consumers and route steps that route on them without reading the JSON. */
    public static final String ASSET_ID = "asset_id";
    public static final String IS_ANOMALY = "is_anomaly";
    public static final String CRITICALITY = "criticality";
    public static final String MODEL_SCOPE = "model_scope";

    /**
     * One output record per result: JSON value, key = asset_id (so an asset's verdicts stay in order), and the
     * headers {@value #ASSET_ID}, {@value #IS_ANOMALY}, {@value #CRITICALITY}, {@value #MODEL_SCOPE}.
     */
    public List<Message> results(ScoredBatch batch) {
        List<Message> records = new ArrayList<>(batch.results().size());
        for (int i = 0; i < batch.results().size(); i++) {
            AnomalyResult result = batch.results().get(i);
            Message record = new DefaultMessage(context);
            record.setBody(batch.resultJson().get(i)); // written while scoring (ScoredBatch)
            record.setHeader(KafkaConstants.KEY, result.assetId().getBytes(StandardCharsets.UTF_8));
            record.setHeader(ASSET_ID, result.assetId());
            record.setHeader(IS_ANOMALY, result.isAnomaly() ? "true" : "false");
            record.setHeader(CRITICALITY, result.criticality().jsonName());
            record.setHeader(MODEL_SCOPE, result.modelScope());
            records.add(record);
        }
        return records;
    }

    /**
     * The records of a batch whose criticality is one of {@code criticalities} (comma-separated, e.g.
     * {@code "high,critical"}) and whose asset matches {@code assets} (comma-separated ids, {@code *} for all): for
     * route steps that divert or drop results (README "Editing the streaming route").
     */
    public static List<Message> matching(List<Message> records, String criticalities, String assets) {
        return select(records, criticalities, assets, true);
    }

    /** The records of a batch that {@link #matching} does not select: what a route keeps after diverting those. */
    public static List<Message> notMatching(List<Message> records, String criticalities, String assets) {
        return select(records, criticalities, assets, false);
    }

    private static List<Message> select(List<Message> records, String criticalities, String assets, boolean match) {
        java.util.Set<String> levels = java.util.Set.of(criticalities.replace(" ", "").split(","));
        java.util.Set<String> ids = java.util.Set.of(assets.replace(" ", "").split(","));
        List<Message> selected = new ArrayList<>();
        for (Message record : records) {
            boolean matches = levels.contains(record.getHeader(CRITICALITY, String.class))
                    && (ids.contains("*") || ids.contains(record.getHeader(ASSET_ID, String.class)));
            if (matches == match) {
                selected.add(record);
            }
        }
        return selected;
    }

    /** The batch's episode events as JSON, key = {@code asset_id/sensor_id} (a stream's events stay in order). */
    public List<Message> episodes(ScoredBatch batch) {
        List<Message> records = new ArrayList<>(batch.episodes().size());
        for (int i = 0; i < batch.episodes().size(); i++) {
            EpisodeEvent event = batch.episodes().get(i);
            Message record = new DefaultMessage(context);
            record.setBody(batch.episodeJson().get(i)); // written while scoring (ScoredBatch)
            String key = event.assetId() + '/' + (event.sensorId() == null ? "-" : event.sensorId());
            record.setHeader(KafkaConstants.KEY, key.getBytes(StandardCharsets.UTF_8));
            record.setHeader(ASSET_ID, event.assetId());
            record.setHeader(CRITICALITY, event.peakCriticality().jsonName());
            record.setHeader("episode_event", event.event());
            records.add(record);
        }
        return records;
    }

    /**
     * The state of every stream the batch moved, for the stream-state changelog: key = stream, to the partition
     * number of its input records (co-partitioned, so that the instance that gets an input partition finds its
     * streams' states in the same partition of the changelog).
     */
    public List<Message> checkpoints(ScoredBatch batch) {
        List<Message> records = new ArrayList<>(batch.checkpoints().size());
        for (ScoredBatch.Checkpoint checkpoint : batch.checkpoints()) {
            Message record = new DefaultMessage(context);
            record.setBody(checkpoint.state());
            record.setHeader(KafkaConstants.KEY, checkpoint.streamKey().getBytes(StandardCharsets.UTF_8));
            record.setHeader(KafkaConstants.PARTITION_KEY, checkpoint.partition());
            records.add(record);
        }
        return records;
    }

    /**
     * The rejected records themselves: original key, value and headers, byte for byte, plus headers naming the
     * reason and where the record came from.
     */
    public List<Message> deadLetters(ScoredBatch batch) {
        List<Message> records = new ArrayList<>(batch.rejected().size());
        for (DecodedBatch.Rejected rejected : batch.rejected()) {
            Message original = rejected.source().getMessage();
            Message deadLetter = rejected.rejection().reason() == RejectionReason.TOO_LARGE ? excerpt(original)
                    : original;
            deadLetter.setHeader(ERROR_TYPE, rejected.rejection().reason().code());
            deadLetter.setHeader(ERROR_REASON, rejected.rejection().message());
            deadLetter.setHeader(SOURCE_TOPIC, String.valueOf(original.getHeader(KafkaConstants.TOPIC)));
            deadLetter.setHeader(SOURCE_PARTITION, String.valueOf(original.getHeader(KafkaConstants.PARTITION)));
            deadLetter.setHeader(SOURCE_OFFSET, String.valueOf(original.getHeader(KafkaConstants.OFFSET)));
            records.add(deadLetter);
        }
        return records;
    }

    /**
     * The dead letter of a record too large to copy: the first {@value #EXCERPT_BYTES} bytes of its key and value,
     * none of its headers (they may be what is large) and its full size. The whole record stays on the input topic
     * at x-source-partition / x-source-offset. A full copy could exceed the producer's or the dead-letter topic's
     * size limit; that send would fail, the batch would be read again and fail again: the stream would stop.
     */
    private Message excerpt(Message original) {
        Message excerpt = new DefaultMessage(context);
        byte[] value = original.getBody(byte[].class);
        excerpt.setBody(value == null ? null : Arrays.copyOf(value, Math.min(value.length, EXCERPT_BYTES)));
        if (original.getHeader(KafkaConstants.KEY) instanceof byte[] key) {
            excerpt.setHeader(KafkaConstants.KEY, Arrays.copyOf(key, Math.min(key.length, EXCERPT_BYTES)));
        }
        excerpt.setHeader(ORIGINAL_SIZE, String.valueOf(RecordSize.of(original)));
        return excerpt;
    }
}
