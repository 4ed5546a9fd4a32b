package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * One change of a stream's anomaly episode, on the episodes topic (key = {@code asset_id/sensor_id}): an episode
 * {@code opened} on a stream's first anomalous verdict, {@code updated} when its criticality rises, {@code closed}
 * after the stream's quiet time ({@code episodes.quiet-records} verdicts in a row that are not anomalous). Times
 * are the judged records' {@code timestamp}s. The peak is the most critical record so far (the highest final
 * score among equals), with the features that drove it.
 *
 * @param episodeId {@code <asset_id>/<sensor_id or ->/<n>}: the stream's n-th episode, the same on every instance
 * @param records   anomalous verdicts in the episode so far
 * @param envelope  the range each feature took over the episode's anomalous records (what feedback on the episode
 *                  declares normal or confirms)
 */
@JsonPropertyOrder({"episode_id", "event", "asset_id", "sensor_id", "opened_at", "updated_at", "closed_at",
        "peak_criticality", "peak_score", "top_features", "records", "model_scope", "model_version", "envelope"})
public record EpisodeEvent(@JsonProperty("episode_id") String episodeId,
                           String event,
                           @JsonProperty("asset_id") String assetId,
                           @JsonProperty("sensor_id") @JsonInclude(JsonInclude.Include.ALWAYS) String sensorId,
                           @JsonProperty("opened_at") String openedAt,
                           @JsonProperty("updated_at") String updatedAt,
                           @JsonProperty("closed_at") @JsonInclude(JsonInclude.Include.ALWAYS) String closedAt,
                           @JsonProperty("peak_criticality") Criticality peakCriticality,
                           @JsonProperty("peak_score") double peakScore,
                           @JsonProperty("top_features") List<FeatureContribution> topFeatures,
                           long records,
                           @JsonProperty("model_scope") String modelScope,
                           @JsonProperty("model_version") long modelVersion,
                           List<FeatureRange> envelope) {

    public static final String OPENED = "opened";
    public static final String UPDATED = "updated";
    public static final String CLOSED = "closed";
}
