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
 * empty when the verdict is normal) and {@code result_id}: {@code <topic>/<partition>/<offset>} of the input record
 * it judges, so that a consumer can drop the duplicates at-least-once delivery allows (a batch re-read after a crash
 * is published again, with the same ids); {@code in_maintenance} (only when true: the record came in a maintenance
 * window of its asset) and {@code normal_by_feedback} (only when set: the id of the operator feedback that declared
 * records like this one normal, which turned its vote off).
 */
@JsonPropertyOrder({"asset_id", "sensor_id", "timestamp", "scores", "final_score", "is_anomaly", "criticality",
        "features", "metadata", "model_version", "model_scope", "top_features",
        "result_id", "in_maintenance", "normal_by_feedback"})
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
                            @JsonProperty("top_features") List<FeatureContribution> topFeatures,
                            @JsonProperty("result_id") @JsonInclude(JsonInclude.Include.NON_NULL) String resultId,
                            @JsonProperty("in_maintenance") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                            boolean inMaintenance,
                            @JsonProperty("normal_by_feedback") @JsonInclude(JsonInclude.Include.NON_NULL)
                            String normalByFeedback) {

    /** The same verdict, identified by where its input record was read. */
    public AnomalyResult withResultId(String id) {
        return new AnomalyResult(assetId, sensorId, timestamp, scores, finalScore, isAnomaly, criticality, features,
                metadata, modelVersion, modelScope, topFeatures, id, inMaintenance, normalByFeedback);
    }

    /** The {@code result_id} of the verdict on the record at that place: the same on every re-read. */
    public static String resultId(String topic, int partition, long offset) {
        return topic + '/' + partition + '/' + offset;
    }
}
