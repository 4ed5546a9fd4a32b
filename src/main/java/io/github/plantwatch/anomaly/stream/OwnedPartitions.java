package io.github.plantwatch.anomaly.stream;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * First step of the streaming route: drops the polled records of partitions a rebalance has taken from this
 * consumer since they were fetched. The batching consumer gathers the records of several polls before it hands
 * them over, and a rebalance inside one of those polls leaves the records already gathered of a revoked partition
 * in the batch. Their new owner reads them again from the committed offset; scored here too, they would be
 * published twice, and their streams' changelog records, written after the new owner's, would give the next owner
 * of the partition a state that misses the new owner's records. Not committed either: their offsets are the new
 * owner's to commit. Runs on the consumer's own thread (the route is synchronous), where the consumer may be asked
 * for its assignment, and no rebalance can happen before the batch's commit: rebalances happen inside a poll.
 */
public final class OwnedPartitions implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(OwnedPartitions.class);

    @Override
    public void process(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getMessage().getBody(List.class);
        if (records == null || records.isEmpty()) {
            return;
        }
        Set<TopicPartition> owned = assignment(records.getFirst());
        if (owned == null) {
            return;
        }
        List<Exchange> kept = new ArrayList<>(records.size());
        for (Exchange record : records) {
            if (owned.contains(new TopicPartition(record.getMessage().getHeader(KafkaConstants.TOPIC, String.class),
                    record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class)))) {
                kept.add(record);
            }
        }
        if (kept.size() < records.size()) {
            LOG.info("{} of the batch's {} records are of partitions this consumer no longer owns (a rebalance since "
                    + "they were fetched): left to their new owner", records.size() - kept.size(), records.size());
            exchange.getMessage().setBody(kept);
        }
    }

    /**
     * The partitions the record's consumer owns now, or null when its commit handle does not say or the consumer is
     * closed (a batch finishing during a shutdown: its commit then fails as it would have, and it is read again).
     */
    private static Set<TopicPartition> assignment(Exchange record) {
        KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                KafkaManualCommit.class);
        if (commit instanceof DefaultKafkaManualCommit handle && handle.getCamelExchangePayload().consumer != null) {
            try {
                return handle.getCamelExchangePayload().consumer.assignment();
            } catch (IllegalStateException closed) {
                return null;
            }
        }
        return null;
    }
}
