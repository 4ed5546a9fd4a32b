package io.github.plantwatch.anomaly.detect;

import java.io.Serializable;
import java.time.Instant;

/** A trained detector with its calibration and what status reports about its training. */
public record TrainedModel(Detector detector, TailCalibration calibration, Instant trainedAt, int trainingRows,
                           long trainingMillis) implements Serializable {

    public String name() {
        return detector.name();
    }
}
