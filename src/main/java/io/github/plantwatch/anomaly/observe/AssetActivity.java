package io.github.plantwatch.anomaly.observe;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.plantwatch.anomaly.contract.AnomalyResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent verdicts of each asset this instance scored, for {@code GET /api/v1/assets} (the last verdict) and
 * {@code GET /api/v1/assets/{asset_id}/scores} (the score over time), so that the control-room page shows history
 * as soon as it opens. Bounded: the newest {@code pointsPerAsset} verdicts of at most {@code maxAssets} assets (the
 * least recently scored forgotten first). Fed with every acknowledged batch: a map look-up and a slot write per
 * result.
 */
public final class AssetActivity {

    /** One verdict on the chart. */
    public record Point(String timestamp,
                        @JsonProperty("received_at") long receivedAt,
                        @JsonProperty("final_score") double finalScore,
                        @JsonProperty("is_anomaly") boolean isAnomaly,
                        String criticality,
                        @JsonProperty("in_maintenance") boolean inMaintenance) {
    }

    private static final class Asset {
        final Point[] ring;
        long count;
        AnomalyResult last;

        Asset(int points) {
            ring = new Point[points];
        }
    }

    private final int pointsPerAsset;
    private final int maxAssets;
    private final LinkedHashMap<String, Asset> assets = new LinkedHashMap<>(256, 0.75f, true);

    public AssetActivity(int maxAssets, int pointsPerAsset) {
        this.maxAssets = maxAssets;
        this.pointsPerAsset = pointsPerAsset;
    }

    public synchronized void record(List<AnomalyResult> results) {
        long now = System.currentTimeMillis();
        for (AnomalyResult result : results) {
            Asset asset = assets.get(result.assetId());
            if (asset == null) {
                asset = new Asset(pointsPerAsset);
                assets.put(result.assetId(), asset);
                if (assets.size() > maxAssets) {
                    assets.remove(assets.keySet().iterator().next());
                }
            }
            asset.ring[(int) (asset.count++ % pointsPerAsset)] = new Point(result.timestamp(), now,
                    result.finalScore(), result.isAnomaly(), result.criticality().jsonName(), result.inMaintenance());
            asset.last = result;
        }
    }

    /** The asset's newest {@code limit} points, oldest first (empty when this instance has not scored it). */
    public synchronized List<Point> points(String assetId, int limit) {
        Asset asset = assets.get(assetId);
        if (asset == null) {
            return List.of();
        }
        long kept = Math.min(asset.count, Math.min(pointsPerAsset, limit));
        List<Point> points = new ArrayList<>((int) kept);
        for (long i = asset.count - kept; i < asset.count; i++) {
            points.add(asset.ring[(int) (i % pointsPerAsset)]);
        }
        return points;
    }

    public synchronized Map<String, AnomalyResult> lastVerdicts() {
        Map<String, AnomalyResult> last = new LinkedHashMap<>();
        assets.forEach((id, asset) -> last.put(id, asset.last));
        return last;
    }
}
