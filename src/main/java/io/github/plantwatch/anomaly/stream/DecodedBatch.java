package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.Rejection;
import org.apache.camel.Exchange;

import java.util.List;

/** One polled batch after parsing: the messages to score and the records rejected, each with its source record. */
public record DecodedBatch(List<Accepted> accepted, List<Rejected> rejected) {

    public record Accepted(Exchange source, FeatureMessage message) {
    }

    public record Rejected(Exchange source, Rejection rejection) {
    }
}
