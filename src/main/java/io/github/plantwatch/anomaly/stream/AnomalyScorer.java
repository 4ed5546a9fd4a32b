package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.FeatureMessage;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import java.util.ArrayList;
import java.util.List;

/**
 * The streaming route's scoring step: hands a decoded batch's messages to the {@link MessageScorer} and sets
 * aside, with their source record, the messages it rejects (feature names that differ from the trained ones).
 */
public final class AnomalyScorer {

    private final MessageScorer scorer;

    public AnomalyScorer(MessageScorer scorer) {
        this.scorer = scorer;
    }

    public ScoredBatch score(DecodedBatch batch) {
        List<DecodedBatch.Accepted> accepted = batch.accepted();
        List<FeatureMessage> messages = new ArrayList<>(accepted.size());
        for (DecodedBatch.Accepted message : accepted) {
            messages.add(message.message());
        }
        List<MessageScorer.Outcome> outcomes = scorer.score(messages);
        List<AnomalyResult> results = new ArrayList<>(outcomes.size());
        List<DecodedBatch.Rejected> rejected = new ArrayList<>(batch.rejected());
        for (int i = 0; i < outcomes.size(); i++) {
            MessageScorer.Outcome outcome = outcomes.get(i);
            if (outcome.result() != null) {
                results.add(outcome.result().withResultId(resultId(accepted.get(i).source().getMessage())));
            } else {
                rejected.add(new DecodedBatch.Rejected(accepted.get(i).source(), outcome.rejection()));
                FeatureBatchDecoder.logRejection(accepted.get(i).source(), outcome.rejection());
            }
        }
        return new ScoredBatch(results, rejected);
    }

    private static String resultId(Message record) {
        return AnomalyResult.resultId(record.getHeader(KafkaConstants.TOPIC, String.class),
                record.getHeader(KafkaConstants.PARTITION, Integer.class),
                record.getHeader(KafkaConstants.OFFSET, Long.class));
    }
}
