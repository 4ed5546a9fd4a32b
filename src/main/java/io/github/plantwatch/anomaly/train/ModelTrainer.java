package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TailCalibration;
import io.github.plantwatch.anomaly.detect.Standardizer;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import io.github.plantwatch.anomaly.detect.Windows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains a whole model set from a validated request: standardizes the rows, fits each requested detector, then
 * calibrates each one's tail probabilities and threshold on its own scores ({@link TailCalibration}). With a calibration holdout h > 0 the
 * detectors are fitted on the oldest (1 - h) of the rows and calibrated on the newest h, which they have not seen:
 * in-sample scores are lower than what the detector gives new normal data, so thresholds set on them flag far more
 * than {@code contamination} of it. The holdout being the newest rows also shows calibration some of the slow
 * drift the stream will bring.
 */
public final class ModelTrainer {

    public ModelSet train(TrainingRequest request, long version, Consumer<String> progress) {
        TrainingSettings settings = request.settings();
        Standardizer standardizer = Standardizer.fit(request.data(), settings.wanderingRatio());
        double[][] rows = standardizer.apply(request.data());
        int held = (int) Math.round(rows.length * settings.calibrationHoldout());
        double[][] fitted = Arrays.copyOf(rows, rows.length - held);
        List<TrainedModel> models = new ArrayList<>();
        EnsembleCalibration ensemble = new EnsembleCalibration(held == 0 ? rows.length : held,
                settings.models().size());
        for (String name : settings.models()) {
            progress.accept("training " + name);
            long started = System.nanoTime();
            Detector detector = DetectorCatalog.fit(name, fitted, settings,
                    epoch -> progress.accept("training " + name + ": epoch " + epoch + "/" + settings.lstmEpochs()));
            // windows ending on the held-out rows (all windows when calibrating in-sample)
            int length = detector.windowLength();
            double[][] calibrationRows = held == 0 ? rows
                    : Arrays.copyOfRange(rows, Math.max(0, rows.length - held - (length - 1)), rows.length);
            double[] scores = detector.rawScores(Windows.sliding(calibrationRows, length));
            TailCalibration calibration = TailCalibration.fit(scores, settings.contamination());
            ensemble.add(calibration, scores, calibrationRows.length, length);
            long millis = (System.nanoTime() - started) / 1_000_000;
            models.add(new TrainedModel(detector, calibration, Instant.now(), rows.length, millis));
        }
        return new ModelSet(version, Instant.now(), request.featureNames(), standardizer, models,
                ensemble.threshold(settings.contamination()), request.scope(), request.members(),
                provenance(settings, request.data().length));
    }

    /** The settings that shaped the set, kept with it (docs/model-format.md). */
    private static Map<String, String> provenance(TrainingSettings settings, int rows) {
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("rows", String.valueOf(rows));
        provenance.put("models", String.join(",", settings.models()));
        provenance.put(ModelSet.CONTAMINATION, String.valueOf(settings.contamination()));
        provenance.put("calibration_holdout", String.valueOf(settings.calibrationHoldout()));
        provenance.put("wandering_ratio", String.valueOf(settings.wanderingRatio()));
        provenance.put("lstm_window", String.valueOf(settings.lstmWindow()));
        provenance.put("lstm_epochs", String.valueOf(settings.lstmEpochs()));
        provenance.put("isolation_trees", String.valueOf(settings.isolationTrees()));
        provenance.put("seed", String.valueOf(settings.seed()));
        provenance.put("service_version", ModelTrainer.class.getPackage().getImplementationVersion() == null ? "dev"
                : ModelTrainer.class.getPackage().getImplementationVersion());
        return provenance;
    }
}
