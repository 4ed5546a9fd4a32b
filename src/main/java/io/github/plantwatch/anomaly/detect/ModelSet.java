package io.github.plantwatch.anomaly.detect;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one training run produced: the feature order, the standardizer, the calibrated detectors and the
 * ensemble's threshold, for one {@link ModelScope}; a group's set also lists its member assets. Immutable; the
 * service swaps whole model sets atomically.
 *
 * @param ensembleThreshold the final score at or above which the ensemble votes anomalous ({@link EnsembleRule})
 * @param provenance        how the set was trained (the training settings and the number of rows), name to value,
 *                          as stored with it: for operators and audits, not read by scoring
 */
public record ModelSet(long version, Instant trainedAt, List<String> featureNames, Standardizer standardizer,
                       List<TrainedModel> models, double ensembleThreshold, ModelScope scope, List<String> members,
                       Map<String, String> provenance)
        {

    public ModelSet {
        featureNames = List.copyOf(featureNames);
        models = List.copyOf(models);
        scope = scope == null ? ModelScope.GLOBAL : scope;
        members = members == null ? List.of() : List.copyOf(members);
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /**
     * The same models as a set of another scope and version: a promotion or a rollback installs a set under the
     * next version of the asset's scope, so that a version number always names one installation.
     */
    public ModelSet as(ModelScope newScope, long newVersion) {
        return new ModelSet(newVersion, trainedAt, featureNames, standardizer, models, ensembleThreshold, newScope,
                newScope.equals(scope) ? members : List.of(), provenance);
    }

    /** The longest window any detector needs: how many vectors per stream the scorer must remember. */
    public int longestWindow() {
        int longest = 1;
        for (TrainedModel model : models) {
            longest = Math.max(longest, model.detector().windowLength());
        }
        return longest;
    }

    /** Identifies this set among all in service: per-stream state built with another set is discarded. */
    public String identity() {
        return scope.key() + '#' + version;
    }
}
