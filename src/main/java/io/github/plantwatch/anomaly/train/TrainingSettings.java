package io.github.plantwatch.anomaly.train;

import java.util.List;

/**
 * How one training run trains: which detectors, the contamination that sets every threshold, and the detectors'
 * own knobs. Defaults come from {@code application.properties} ({@code training.*}); a request may override them.
 */
public record TrainingSettings(List<String> models, double contamination, int lstmWindow, int lstmEpochs,
                               int isolationTrees, long seed) {

    public TrainingSettings {
        models = List.copyOf(models);
    }

    public boolean trains(String modelName) {
        return models.contains(modelName);
    }

    /** The fewest rows a run with these settings accepts. */
    public int minimumRows(int configuredMinimum) {
        return trains(io.github.plantwatch.anomaly.detect.LstmAutoencoderDetector.NAME)
                ? Math.max(configuredMinimum, 2 * lstmWindow) : configuredMinimum;
    }

    public TrainingSettings with(List<String> newModels, double newContamination, int newWindow, int newEpochs) {
        return new TrainingSettings(newModels, newContamination, newWindow, newEpochs, isolationTrees, seed);
    }
}
