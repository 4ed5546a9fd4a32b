package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * One record of the input topic, after validation: a feature vector of one sensor of one asset.
 *
 * @param assetId   required, non-blank
 * @param sensorId  optional (null when absent)
 * @param features  required, feature name to finite value, in the order the producer wrote them
 * @param timestamp the producer's timestamp as written (ISO-8601 expected), or the Kafka record time when absent
 * @param metadata  optional free-form object, echoed to the output
 */
public record FeatureMessage(String assetId, String sensorId, Map<String, Double> features, String timestamp,
                             JsonNode metadata) {

    /** The key of this message's sequence: the LSTM autoencoder keeps one sliding window per stream. */
    public String streamKey() {
        return sensorId == null ? assetId : assetId + '\u0000' + sensorId;
    }
}
