package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A time during which an asset is in maintenance, as the maintenance topic keeps it (key = {@code window_id}; a
 * tombstone deletes it): its records are scored and published with {@code in_maintenance: true}, but open no
 * episode, raise no alert and teach the stream nothing (README "Maintenance windows"). A record is in it when its
 * {@code timestamp} (or, when that is not an ISO-8601 instant, the time it is scored) is in [from, until).
 *
 * @param from  ISO-8601 instant
 * @param until ISO-8601 instant, after {@code from}
 */
@JsonPropertyOrder({"window_id", "asset_id", "from", "until", "reason", "created_at"})
public record MaintenanceWindow(@JsonProperty("window_id") String windowId,
                                @JsonProperty("asset_id") String assetId,
                                String from,
                                String until,
                                @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
                                @JsonProperty("created_at") String createdAt) {
}
