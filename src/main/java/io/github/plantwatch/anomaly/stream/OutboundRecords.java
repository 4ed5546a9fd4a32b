package io.github.plantwatch.anomaly.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    private final CamelContext context;

    public OutboundRecords(CamelContext context) {
        this.context = context;
    }

    /** One output record per result: JSON value, key = asset_id (so an asset's verdicts stay in order). */
    public List<Message> results(ScoredBatch batch) throws JsonProcessingException {
        List<Message> records = new ArrayList<>(batch.results().size());
        for (AnomalyResult result : batch.results()) {
            Message record = new DefaultMessage(context);
            record.setBody(JsonCodec.mapper().writeValueAsBytes(result));
            record.setHeader(KafkaConstants.KEY, result.assetId().getBytes(StandardCharsets.UTF_8));
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
            original.setHeader(ERROR_TYPE, rejected.rejection().reason().code());
            original.setHeader(ERROR_REASON, rejected.rejection().message());
            original.setHeader(SOURCE_TOPIC, String.valueOf(original.getHeader(KafkaConstants.TOPIC)));
            original.setHeader(SOURCE_PARTITION, String.valueOf(original.getHeader(KafkaConstants.PARTITION)));
            original.setHeader(SOURCE_OFFSET, String.valueOf(original.getHeader(KafkaConstants.OFFSET)));
            records.add(original);
        }
        return records;
    }
}
