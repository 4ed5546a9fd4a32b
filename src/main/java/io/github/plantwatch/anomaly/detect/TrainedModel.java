package io.github.plantwatch.anomaly.detect;

import java.time.Instant;

/** A trained detector with its calibration and what status reports about its training. */
public record TrainedModel(Detector detector, TailCalibration calibration, Instant trainedAt, int trainingRows,
                           long trainingMillis) {

    public String name() {
        return detector.name();
    }
}
