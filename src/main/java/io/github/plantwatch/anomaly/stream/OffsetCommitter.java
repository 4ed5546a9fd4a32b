package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.observe.AssetActivity;
import io.github.plantwatch.anomaly.observe.ResultFeed;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Last step of the streaming route, reached only once every output and dead-letter record of the batch has been
 * acknowledged: commits, for each partition in the batch, the offset after its last record. Runs on the consumer's
 * own thread (the producers are synchronous), as KafkaConsumer requires.
 */
public final class OffsetCommitter implements Processor {

    /** The exchange variable where the route keeps the polled records (see routes/anomaly-detection.camel.yaml). */
    public static final String RECORDS_VARIABLE = "records";

    private final PipelineStats stats;
    private final ResultFeed feed;
    private final AssetActivity activity;

    public OffsetCommitter(PipelineStats stats, ResultFeed feed, AssetActivity activity) {
        this.stats = stats;
        this.feed = feed;
        this.activity = activity;
    }

    @Override
    public void process(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getVariable(RECORDS_VARIABLE, List.class);
        Map<Integer, KafkaManualCommit> lastPerPartition = new HashMap<>();
        for (Exchange record : records) {
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit == null) {
                throw new IllegalStateException("records carry no manual commit: the consumer needs allowManualCommit=true");
            }
            lastPerPartition.put(record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class), commit);
        }
        lastPerPartition.values().forEach(KafkaManualCommit::commit);
        ScoredBatch scored = exchange.getMessage().getBody(ScoredBatch.class);
        stats.record(records.size(), records.isEmpty() ? System.currentTimeMillis()
                : records.getFirst().getClock().getCreated(), scored);
        feed.publish(scored.results());
        activity.record(scored.results());
    }
}
