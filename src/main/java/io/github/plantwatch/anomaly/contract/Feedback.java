package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Set;

/**
 * An operator's judgement of an episode, or of an asset over a time range, as the feedback topic keeps it (key =
 * {@code feedback_id}) and {@code GET /api/v1/anomalies/feedback} lists it. What each label does is the README's
 * "Feedback".
 *
 * @param label      {@code false_alarm}, {@code confirmed} or {@code new_normal}
 * @param sensorId   the stream the feedback is about; null: every stream of the asset
 * @param episodeId  the episode it was given on; null when given on a time range
 * @param from       first record time it covers (ISO-8601, compared as an instant)
 * @param until      last record time it covers
 * @param envelope   the range of every feature over the anomalous records it covers (the episodes' envelopes): a
 *                   {@code false_alarm} or {@code new_normal} makes a record of the asset inside it normal
 */
@JsonPropertyOrder({"feedback_id", "label", "asset_id", "sensor_id", "episode_id", "from", "until", "comment",
        "received_at", "envelope"})
public record Feedback(@JsonProperty("feedback_id") String feedbackId,
                       String label,
                       @JsonProperty("asset_id") String assetId,
                       @JsonProperty("sensor_id") @JsonInclude(JsonInclude.Include.ALWAYS) String sensorId,
                       @JsonProperty("episode_id") @JsonInclude(JsonInclude.Include.ALWAYS) String episodeId,
                       String from,
                       String until,
                       @JsonInclude(JsonInclude.Include.ALWAYS) String comment,
                       @JsonProperty("received_at") String receivedAt,
                       List<FeatureRange> envelope) {

    public static final String FALSE_ALARM = "false_alarm";
    public static final String CONFIRMED = "confirmed";
    public static final String NEW_NORMAL = "new_normal";
    public static final Set<String> LABELS = Set.of(FALSE_ALARM, CONFIRMED, NEW_NORMAL);

    public Feedback {
        envelope = envelope == null ? List.of() : List.copyOf(envelope);
    }

    /** Whether it declares the records it covers normal (and so their pattern). */
    public boolean declaresNormal() {
        return FALSE_ALARM.equals(label) || NEW_NORMAL.equals(label);
    }

    /** Whether it is about that stream of its asset. */
    public boolean covers(String asset, String sensor) {
        return assetId.equals(asset) && (sensorId == null || sensorId.equals(sensor));
    }
}
