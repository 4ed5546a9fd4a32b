package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * One record of the output topic: the verdict on one input message. Fields and names follow the seed's contract;
 * additions: {@code model_version} and {@code model_scope} (which model set scored it: {@code global},
 * {@code group:<name>} or {@code asset:<asset_id>}) and {@code top_features} (what drove an anomalous verdict;
 * empty when the verdict is normal).
 */
@JsonPropertyOrder({"asset_id", "sensor_id", "timestamp", "scores", "final_score", "is_anomaly", "criticality",
        "features", "metadata", "model_version", "model_scope", "top_features"})
public record AnomalyResult(@JsonProperty("asset_id") String assetId,
                            @JsonProperty("sensor_id") @JsonInclude(JsonInclude.Include.ALWAYS) String sensorId,
                            String timestamp,
                            List<ModelScore> scores,
                            @JsonProperty("final_score") double finalScore,
                            @JsonProperty("is_anomaly") boolean isAnomaly,
                            Criticality criticality,
                            Map<String, Double> features,
                            JsonNode metadata,
                            @JsonProperty("model_version") long modelVersion,
                            @JsonProperty("model_scope") String modelScope,
                            @JsonProperty("top_features") List<FeatureContribution> topFeatures) {
}
