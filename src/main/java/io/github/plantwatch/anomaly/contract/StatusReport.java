package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Answer of {@code GET /api/v1/anomalies/status}. {@code trained}, {@code model_version} and {@code models} describe
 * the global model set, as before scopes existed; {@code model_sets} lists every set, global first; {@code feedback}
 * counts the operators' feedback and shows the newest.
 */
public record StatusReport(boolean trained,
                           @JsonProperty("model_version") Long modelVersion,
                           List<Model> models,
                           @JsonProperty("model_sets") List<ModelSetSummary> modelSets,
                           Pipeline pipeline,
                           Training training,
                           Jvm jvm,
                           FeedbackSummary feedback) {

    public record Model(@JsonProperty("model_name") String modelName,
                        @JsonProperty("trained_at") String trainedAt,
                        double threshold,
                        @JsonProperty("training_rows") int trainingRows,
                        @JsonProperty("feature_names") List<String> featureNames,
                        long version) {
    }

    /**
     * {@code state} is {@code consuming} or {@code waiting_for_models}; counts since the service started, and when
     * it consumed its first record (ISO-8601; null before): with {@code scored}, the throughput since then.
     */
    public record Pipeline(String state,
                           @JsonProperty("input_topic") String inputTopic,
                           long scored,
                           long anomalous,
                           @JsonProperty("dead_lettered") long deadLettered,
                           @JsonProperty("first_consumed_at") String firstConsumedAt) {
    }

    /** Heap now, its peak since start (sum of the heap pools' peaks) and its limit, in bytes. */
    public record Jvm(@JsonProperty("heap_used_bytes") long heapUsedBytes,
                      @JsonProperty("heap_peak_bytes") long heapPeakBytes,
                      @JsonProperty("heap_max_bytes") long heapMaxBytes) {
    }

    /** How much operator feedback the service has received, and the newest. */
    public record FeedbackSummary(long count, List<Feedback> latest) {
    }

    /** The training run in progress, if any: {@code running} and a human-readable {@code progress}. */
    public record Training(boolean running, String progress) {
    }
}
