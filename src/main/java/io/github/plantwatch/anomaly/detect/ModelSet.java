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

    /** Provenance: the share of normal records the ensemble's threshold was calibrated to vote on. */
    public static final String CONTAMINATION = "contamination";
    /** Provenance of a recalibrated set: the version whose threshold it replaces. */
    public static final String RECALIBRATED_FROM_VERSION = "recalibrated_from_version";
    /** Provenance of a recalibrated set: how many scores in service the new threshold was taken from. */
    public static final String RECALIBRATION_RECORDS = "recalibration_records";
    /** Provenance of a recalibrated set: the ensemble threshold its training calibrated. */
    public static final String TRAINED_ENSEMBLE_THRESHOLD = "trained_ensemble_threshold";

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

    /**
     * The same models with the ensemble's threshold recalibrated in service ({@code stream/ThresholdRecalibration}):
     * installed under the scope's next version; its provenance says from which version, on how many scores, and
     * the threshold training gave.
     */
    public ModelSet recalibrated(double threshold, int records) {
        Map<String, String> recalibration = new LinkedHashMap<>(provenance);
        recalibration.put(RECALIBRATED_FROM_VERSION, String.valueOf(version));
        recalibration.put(RECALIBRATION_RECORDS, String.valueOf(records));
        recalibration.put(TRAINED_ENSEMBLE_THRESHOLD,
                provenance.getOrDefault(TRAINED_ENSEMBLE_THRESHOLD, String.valueOf(ensembleThreshold)));
        return new ModelSet(0, trainedAt, featureNames, standardizer, models, threshold, scope, members,
                recalibration);
    }

    /** The version this set's ensemble threshold was recalibrated from, or -1 when it is as training left it. */
    public long recalibratedFrom() {
        String from = provenance.get(RECALIBRATED_FROM_VERSION);
        return from == null ? -1 : Long.parseLong(from);
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
