package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What status reports about one model set, also kept beside it in the model directory ({@code model-set.json}) so
 * the service knows every set, and which assets a group serves, without loading them.
 *
 * @param members the assets a group's set serves (empty for other scopes)
 * @param loaded  whether the set is in memory now (sets load on first use and may be evicted)
 */
public record ModelSetSummary(@JsonProperty("model_scope") String modelScope,
                              @JsonProperty("model_version") long modelVersion,
                              @JsonProperty("trained_at") String trainedAt,
                              @JsonProperty("feature_names") List<String> featureNames,
                              List<String> members,
                              List<Model> models,
                              @JsonProperty("footprint_bytes") long footprintBytes,
                              boolean loaded) {

    public record Model(@JsonProperty("model_name") String modelName,
                        double threshold,
                        @JsonProperty("training_rows") int trainingRows) {
    }

    public ModelSetSummary withLoaded(boolean isLoaded) {
        return new ModelSetSummary(modelScope, modelVersion, trainedAt, featureNames, members, models, footprintBytes,
                isLoaded);
    }
}
