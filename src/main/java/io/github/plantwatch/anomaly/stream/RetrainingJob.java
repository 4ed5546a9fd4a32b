package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.ModelSet;

/**
 * A stream's proposal of a new model set for its asset: the rows a candidate learns from (records judged normal,
 * in time order, in the features' units), the newest records it must then score as well as the set in service
 * did, and why it was proposed.
 *
 * @param warmUpRows         the records just before the shadow rows: the candidate reads them first, unscored, so
 *                           that it starts the shadow rows with full windows and votes, as the set in service did
 * @param shadowRows         the newest records, which the candidate has not learned from
 * @param inServiceAnomalous the share of the shadow rows the set in service judged anomalous, as it scored them
 * @param reason             {@code cadence} (every {@code retraining.every-records}), {@code new_normal} (the
 *                           settle rule), {@code lasting_change} or {@code feedback} (an operator declared records
 *                           normal; no shadow rows: the operator's word is the check)
 */
public record RetrainingJob(String assetId, ModelSet inService, double[][] trainingRows, double[][] warmUpRows,
                            double[][] shadowRows, double inServiceAnomalous, String reason) {
}
