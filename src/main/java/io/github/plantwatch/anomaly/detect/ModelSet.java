package io.github.plantwatch.anomaly.detect;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * Everything one training run produced: the feature order, the standardizer and the calibrated detectors.
 * Immutable; the service swaps whole model sets atomically.
 */
public record ModelSet(long version, Instant trainedAt, List<String> featureNames, Standardizer standardizer,
                       List<TrainedModel> models) implements Serializable {

    public ModelSet {
        featureNames = List.copyOf(featureNames);
        models = List.copyOf(models);
    }

    /** The longest window any detector needs: how many vectors per stream the scorer must remember. */
    public int longestWindow() {
        int longest = 1;
        for (TrainedModel model : models) {
            longest = Math.max(longest, model.detector().windowLength());
        }
        return longest;
    }
}
