package io.github.plantwatch.anomaly.train;

import java.util.List;

/**
 * How one training run trains: which detectors, the contamination that sets every threshold, the share of the
 * newest rows held out of fitting to calibrate on, the ratio below which a feature counts as wandering
 * ({@link io.github.plantwatch.anomaly.detect.Standardizer}), and the detectors' own knobs. Defaults come from
 * {@code application.properties} ({@code training.*}); a request may override some.
 */
public record TrainingSettings(List<String> models, double contamination, int lstmWindow, int lstmEpochs,
                               int isolationTrees, long seed, double calibrationHoldout, double wanderingRatio) {

    public TrainingSettings {
        models = List.copyOf(models);
        if (calibrationHoldout < 0 || calibrationHoldout >= 1) {
            throw new IllegalArgumentException("calibration holdout must be in [0, 1), got " + calibrationHoldout);
        }
    }

    /** Calibrated in-sample, on the rows the detectors were fitted on; no feature taken to wander. */
    public TrainingSettings(List<String> models, double contamination, int lstmWindow, int lstmEpochs,
                            int isolationTrees, long seed) {
        this(models, contamination, lstmWindow, lstmEpochs, isolationTrees, seed, 0, 0);
    }

    public boolean trains(String modelName) {
        return models.contains(modelName);
    }

    /** The fewest rows a run with these settings accepts: enough left to fit on after the calibration holdout. */
    public int minimumRows(int configuredMinimum) {
        int toFit = trains(io.github.plantwatch.anomaly.detect.LstmAutoencoderDetector.NAME)
                ? Math.max(configuredMinimum, 2 * lstmWindow) : configuredMinimum;
        return (int) Math.ceil(toFit / (1 - calibrationHoldout));
    }

    public TrainingSettings with(List<String> newModels, double newContamination, int newWindow, int newEpochs) {
        return new TrainingSettings(newModels, newContamination, newWindow, newEpochs, isolationTrees, seed,
                calibrationHoldout, wanderingRatio);
    }
}
