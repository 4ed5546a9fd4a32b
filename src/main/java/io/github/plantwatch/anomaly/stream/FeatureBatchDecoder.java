package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.Rejection;
import io.github.plantwatch.anomaly.contract.RejectionReason;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * First step of the streaming route: turns the polled batch (a {@code List<Exchange>}, one per Kafka record, body
 * = the record's bytes) into a {@link DecodedBatch}. A bad record is set aside with its reason; the rest go on.
 */
public final class FeatureBatchDecoder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureBatchDecoder.class);

    private final int maxRecordBytes;

    /** @param maxRecordBytes larger records are rejected unread ({@code kafka.max-record-bytes}) */
    public FeatureBatchDecoder(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void process(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getMessage().getBody(List.class);
        List<DecodedBatch.Accepted> accepted = new ArrayList<>(records.size());
        List<DecodedBatch.Rejected> rejected = new ArrayList<>();
        for (Exchange record : records) {
            Message message = record.getMessage();
            Long timestamp = message.getHeader(KafkaConstants.TIMESTAMP, Long.class);
            try {
                checkSize(message);
                accepted.add(new DecodedBatch.Accepted(record, FeatureRecordParser.parse(
                        message.getBody(byte[].class), timestamp == null ? System.currentTimeMillis() : timestamp)));
            } catch (RecordRejectedException e) {
                rejected.add(new DecodedBatch.Rejected(record, e.rejection()));
                logRejection(record, e.rejection());
            }
        }
        exchange.getMessage().setBody(new DecodedBatch(accepted, rejected));
    }

    /** A record over the limit could not be copied whole to the dead-letter topic: it is refused before parsing. */
    private void checkSize(Message message) throws RecordRejectedException {
        long size = RecordSize.of(message);
        if (size > maxRecordBytes) {
            throw new RecordRejectedException(RejectionReason.TOO_LARGE, "record is " + size
                    + " bytes (key, value and headers); the limit is " + maxRecordBytes + " (KAFKA_MAX_RECORD_BYTES)");
        }
    }

    /**
     * Seed contract: invalid messages at ERROR, messages missing asset_id or features at WARN (and so, as
     * problems of the models rather than the message, a feature mismatch or an asset no model set serves); a
     * scoring error at ERROR.
     */
    static void logRejection(Exchange record, Rejection rejection) {
        Message message = record.getMessage();
        String source = message.getHeader(KafkaConstants.TOPIC) + "/" + message.getHeader(KafkaConstants.PARTITION)
                + "@" + message.getHeader(KafkaConstants.OFFSET);
        if (rejection.reason() == RejectionReason.MISSING_FIELD || rejection.reason() == RejectionReason.FEATURE_MISMATCH
                || rejection.reason() == RejectionReason.NO_MODEL) {
            LOG.warn("Message ignored (sent to dead-letter topic) {}: {}", source, rejection.message());
        } else if (rejection.reason() == RejectionReason.SCORING_ERROR) {
            LOG.error("Message could not be scored (sent to dead-letter topic) {}: {}", source, rejection.message());
        } else {
            LOG.error("Invalid message (sent to dead-letter topic) {}: {}", source, rejection.message());
        }
    }
}
