package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One detector's verdict on one message; {@code score} and {@code threshold} are in [0, 1], higher = more anomalous. */
public record ModelScore(double score,
                         @JsonProperty("model_name") String modelName,
                         double threshold,
                         @JsonProperty("is_anomaly") boolean isAnomaly) {
}
