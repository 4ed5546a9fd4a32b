package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.ScoreCalibration;
import io.github.plantwatch.anomaly.detect.Standardizer;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import io.github.plantwatch.anomaly.detect.Windows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains a whole model set from a validated request: standardizes the rows, fits each requested detector, then
 * calibrates each one's score mapping and threshold on its own scores over the training data.
 */
public final class ModelTrainer {

    public ModelSet train(TrainingRequest request, long version, Consumer<String> progress) {
        TrainingSettings settings = request.settings();
        Standardizer standardizer = Standardizer.fit(request.data());
        double[][] rows = standardizer.apply(request.data());
        List<TrainedModel> models = new ArrayList<>();
        for (String name : settings.models()) {
            progress.accept("training " + name);
            long started = System.nanoTime();
            Detector detector = DetectorCatalog.fit(name, rows, settings,
                    epoch -> progress.accept("training " + name + ": epoch " + epoch + "/" + settings.lstmEpochs()));
            double[] trainingScores = detector.rawScores(Windows.sliding(rows, detector.windowLength()));
            ScoreCalibration calibration = ScoreCalibration.fit(trainingScores, settings.contamination());
            long millis = (System.nanoTime() - started) / 1_000_000;
            models.add(new TrainedModel(detector, calibration, Instant.now(), rows.length, millis));
        }
        return new ModelSet(version, Instant.now(), request.featureNames(), standardizer, models);
    }
}
