package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Answer of {@code POST /api/v1/anomalies/train}: what was trained and swapped into service. */
public record TrainingReport(@JsonProperty("model_version") long modelVersion,
                             @JsonProperty("model_scope") String modelScope,
                             List<String> members,
                             @JsonProperty("trained_at") String trainedAt,
                             @JsonProperty("feature_names") List<String> featureNames,
                             List<Model> models) {

    public record Model(@JsonProperty("model_name") String modelName,
                        double threshold,
                        @JsonProperty("training_rows") int trainingRows,
                        @JsonProperty("duration_ms") long durationMs) {
    }
}
