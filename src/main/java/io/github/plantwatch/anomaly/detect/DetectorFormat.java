package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.contract.Excerpt;

/** Reads a detector's section of the portable model format back into the detector named by its model_name. */
public final class DetectorFormat {

    private DetectorFormat() {
    }

    /** @param width how many features the set's vectors have (what every detector's matrices are checked against) */
    public static Detector read(String name, int width, ParameterSource in) {
        return switch (name) {
            case IsolationForestDetector.NAME -> IsolationForestDetector.read(in, width);
            case OneClassSvmDetector.NAME -> OneClassSvmDetector.read(in, width);
            case LstmAutoencoderDetector.NAME -> LstmAutoencoderDetector.read(in, width);
            default -> throw new ModelFormatException("unknown detector '" + Excerpt.of(name)
                    + "': this version knows isolation_forest, one_class_svm and lstm_autoencoder");
        };
    }
}
