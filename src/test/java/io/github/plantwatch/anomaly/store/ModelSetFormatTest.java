package io.github.plantwatch.anomaly.store;

import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.ModelFormatException;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.ParameterSink;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import io.github.plantwatch.anomaly.detect.Windows;
import io.github.plantwatch.anomaly.stream.MessageScorer;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.train.DetectorCatalog;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;
import io.github.plantwatch.anomaly.Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portable model format on a really trained set of all three detectors: written, read and scored bit for bit
 * as before; and every kind of bad file refused with a message that names the problem. Forged sections are written
 * with a valid checksum (a checksum proves integrity, not origin), so only the format's own checks can refuse them.
 */
class ModelSetFormatTest {

    private static ModelSet trained;
    private static final SensorData DATA = new SensorData(11);

    @BeforeAll
    static void train() {
        TrainingSettings settings = new TrainingSettings(DetectorCatalog.NAMES, 0.05, 6, 2, 30, 42, 0.25, 0.5);
        trained = new ModelTrainer().train(new TrainingRequest(DATA.healthyRows(400), SensorData.FEATURES,
                settings), 3, step -> { });
    }

    @Test
    void aSetWrittenAndReadScoresBitForBitAsTheTrainedOne() {
        ModelSet loaded = ModelSetFormat.decode(ModelSetFormat.encode(trained));
        assertEquals(trained.version(), loaded.version());
        assertEquals(trained.scope(), loaded.scope());
        assertEquals(trained.trainedAt(), loaded.trainedAt());
        assertEquals(trained.featureNames(), loaded.featureNames());
        assertEquals(trained.provenance(), loaded.provenance());
        assertEquals("400", loaded.provenance().get("rows"));
        assertEquals(trained.ensembleThreshold(), loaded.ensembleThreshold(), 0.0);
        double[][] rows = trained.standardizer().apply(DATA.healthyRows(120));
        rows[60] = new double[]{40, -3, 1e6, 9, 0.5};
        for (int m = 0; m < trained.models().size(); m++) {
            Detector before = trained.models().get(m).detector();
            Detector after = loaded.models().get(m).detector();
            double[][][] windows = Windows.sliding(rows, before.windowLength());
            assertArrayEquals(before.rawScores(windows), after.rawScores(windows), 0.0, before.name());
            assertEquals(trained.models().get(m).calibration().threshold(),
                    loaded.models().get(m).calibration().threshold(), 0.0);
        }
        List<String> before = verdicts(trained);
        List<String> after = verdicts(loaded);
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i), after.get(i), "result " + i + ", field for field");
        }
    }

    private static List<String> verdicts(ModelSet set) {
        MessageScorer scorer = MessageScorer.replaying(set, Settings.shipped().scoring());
        List<FeatureMessage> messages = new ArrayList<>();
        SensorData data = new SensorData(12); // the same records for both sets
        double[][] rows = data.healthyRows(80);
        rows[50] = data.faulty();
        for (double[] row : rows) {
            messages.add(FeatureMessage.of("PUMP-1", "S1", SensorData.FEATURES, row, "t"));
        }
        return scorer.score(messages).stream().map(outcome -> outcome.result().toString()).toList();
    }

    @Test
    void refusesFilesThatAreNotModelSetsOrAreDamaged() {
        byte[] file = ModelSetFormat.encode(trained);
        assertRefused("not a model set", "{\"json\": true}".getBytes());
        assertRefused("checksum mismatch", Arrays.copyOf(file, file.length - 7));
        byte[] flipped = file.clone();
        flipped[file.length / 3] ^= 0x10;
        assertRefused("checksum mismatch", flipped);
        byte[] old = file.clone();
        old[7] = '1';
        assertRefused("model format 1 (Java serialization", old);
        byte[] newer = file.clone();
        newer[7] = '7';
        assertRefused("model format 7 is not format 2", newer);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "isolation_forest|children|node 0 has a child outside the forest",
            "isolation_forest|feature|splits on feature 99 of 5",
            "isolation_forest|depth|node arrays of different lengths",
            "one_class_svm|weights|positive weights",
            "one_class_svm|support_by_feature|values per support vector",
            "one_class_svm|sigma|kernel scale must be positive",
            "lstm_autoencoder|encoder_RW|encoder layer's matrices do not fit",
            "lstm_autoencoder|output_W|output layer is not",
            "lstm_autoencoder|window|window of -4 steps",
    })
    void refusesAForgedSectionOfEachDetector(String detector, String field, String message) {
        assertRefused(message, ModelSetFormat.encode(forged(detector, field)));
    }

    @Test
    void refusesAnUnknownDetectorAndAFieldOutOfPlace() {
        assertRefused("unknown detector 'random_cut_forest'", ModelSetFormat.encode(forged("isolation_forest",
                "rename")));
        assertRefused("expected field 'roots'", ModelSetFormat.encode(forged("isolation_forest", "reorder")));
    }

    /** The trained set with one field of one detector's section replaced by a value no training gives. */
    private static ModelSet forged(String name, String field) {
        List<TrainedModel> models = new ArrayList<>();
        for (TrainedModel model : trained.models()) {
            Detector detector = model.detector();
            models.add(!model.name().equals(name) ? model : new TrainedModel(new Forged(detector, field),
                    model.calibration(), model.trainedAt(), model.trainingRows(), model.trainingMillis()));
        }
        return new ModelSet(trained.version(), trained.trainedAt(), trained.featureNames(), trained.standardizer(),
                models, trained.ensembleThreshold(), trained.scope(), trained.members(), trained.provenance());
    }

    /** Writes a real detector's section with one field changed. */
    private record Forged(Detector real, String field) implements Detector {
        @Override
        public String name() {
            return field.equals("rename") ? "random_cut_forest" : real.name();
        }

        @Override
        public int windowLength() {
            return real.windowLength();
        }

        @Override
        public double[] rawScores(double[][][] windows) {
            return real.rawScores(windows);
        }

        @Override
        public void write(ParameterSink out) {
            real.write(new ParameterSink() {
                private boolean first = true;

                @Override
                public void integer(String name, int value) {
                    out.integer(name, name.equals(field) ? -4 : value);
                }

                @Override
                public void number(String name, double value) {
                    out.number(name, name.equals(field) ? -1.0 : value);
                }

                @Override
                public void integers(String name, int[] values) {
                    if (first && field.equals("reorder")) {
                        out.integers("levels", values);
                        first = false;
                        return;
                    }
                    out.integers(name, name.equals(field) ? changed(values, name.equals("children") ? 1 << 30 : 99)
                            : values);
                }

                @Override
                public void numbers(String name, double[] values) {
                    out.numbers(name, !name.equals(field) ? values
                            : name.equals("weights") ? changed(values, -0.5) : Arrays.copyOf(values, values.length - 1));
                }

                @Override
                public void floats(String name, float[] values) {
                    out.floats(name, name.equals(field) ? Arrays.copyOf(values, values.length - 1) : values);
                }
            });
        }

        private static int[] changed(int[] values, int value) {
            int[] copy = values.clone();
            copy[0] = value;
            return copy;
        }

        private static double[] changed(double[] values, double value) {
            double[] copy = values.clone();
            copy[0] = value;
            return copy;
        }
    }

    private static void assertRefused(String message, byte[] file) {
        ModelFormatException refused = assertThrows(ModelFormatException.class, () -> ModelSetFormat.decode(file));
        assertTrue(refused.getMessage().contains(message), "expected '" + message + "' in: " + refused.getMessage());
    }
}
