package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One record of the input topic, after validation: a feature vector of one sensor of one asset. The size limits
 * bound what one message can put into a result, a log line or the service's memory.
 *
 * @param assetId   required, non-blank, at most {@value #MAX_ID_LENGTH} characters, no control characters
 * @param sensorId  optional (null when absent), same rules as assetId
 * @param features  required, feature name to finite value, in the order the producer wrote them
 * @param timestamp the producer's timestamp as written (ISO-8601 expected, at most {@value #MAX_TIMESTAMP_LENGTH}
 *                  characters), or the Kafka record time when absent
 * @param metadata  optional free-form object, echoed to the output, at most {@value #MAX_METADATA_BYTES} bytes as
 *                  JSON
 */
public record FeatureMessage(String assetId, String sensorId, Map<String, Double> features, String timestamp,
                             JsonNode metadata) {

    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_TIMESTAMP_LENGTH = 64;
    public static final int MAX_METADATA_BYTES = 65_536;

    /** A message of named values (in {@code names} order), without metadata: for records the service replays. */
    public static FeatureMessage of(String assetId, String sensorId, List<String> names, double[] values,
                                    String timestamp) {
        Map<String, Double> features = new LinkedHashMap<>();
        for (int j = 0; j < names.size(); j++) {
            features.put(names.get(j), values[j]);
        }
        return new FeatureMessage(assetId, sensorId, features, timestamp, JsonCodec.mapper().createObjectNode());
    }

    /** The key of this message's sequence: the LSTM autoencoder keeps one sliding window per stream. */
    public String streamKey() {
        return sensorId == null ? assetId : assetId + '\u0000' + sensorId;
    }
}
