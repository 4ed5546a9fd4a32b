package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer of {@code POST /api/v1/assets/{asset_id}/models/rollback}: the set now in service for the asset, and when
 * its models were trained (the set it restored).
 */
public record RollbackReport(@JsonProperty("asset_id") String assetId,
                             @JsonProperty("model_scope") String modelScope,
                             @JsonProperty("model_version") long modelVersion,
                             @JsonProperty("trained_at") String trainedAt) {
}
