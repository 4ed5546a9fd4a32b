package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.Settings;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;

import java.util.List;
import java.util.Random;

/**
 * A model set really trained, with the shipped training settings but an LSTM window of 10 and 5 epochs, on i.i.d.
 * N(10, 1) features a..e (so one training SD is 1 unit): what the scoring core's tests judge records with.
 */
final class GaussianModels {

    static final List<String> NAMES = List.of("a", "b", "c", "d", "e");

    private GaussianModels() {
    }

    static ModelSet train(int rows) {
        Settings shipped = Settings.shipped();
        TrainingSettings training = shipped.trainingDefaults().with(shipped.trainingDefaults().models(),
                shipped.trainingDefaults().contamination(), 10, 5);
        Random random = new Random(1);
        double[][] data = new double[rows][];
        for (int i = 0; i < rows; i++) {
            data[i] = normal(random);
        }
        return new ModelTrainer().train(new TrainingRequest(data, NAMES, training), 1, step -> { });
    }

    /** One normal record. */
    static double[] normal(Random random) {
        double[] row = new double[NAMES.size()];
        for (int j = 0; j < row.length; j++) {
            row[j] = 10 + random.nextGaussian();
        }
        return row;
    }
}
