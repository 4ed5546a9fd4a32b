package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.FeatureAttribution;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TrainedModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The messages of one batch that one model set scores, and what its detectors said about them. Each detector is
 * called once for all of them (a sequence detector for those whose stream's window is full): batched calls are
 * what the detectors are fast at.
 */
final class ModelSetBatch {

    /** One message ready for the detectors: its place in the batch, its vectors and its stream. */
    record Entry(int index, FeatureMessage message, double[] observed, double[] z, double[][] window,
                 StreamState state) {
    }

    final ModelSet set;
    final List<Entry> entries = new ArrayList<>();
    private final int width;
    /** Per model (model-set order), per entry: the row of the entry in the model's call, -1 if not scored. */
    private int[][] rows;
    private double[][] rawScores;
    /** Per model: the attribution detector's evidence and expected values, row-major by call row; else null. */
    private double[][] evidence;
    private double[][] expected;

    ModelSetBatch(ModelSet set) {
        this.set = set;
        this.width = set.featureNames().size();
    }

    void add(Entry entry) {
        entries.add(entry);
    }

    /** Calls each detector once for every entry it can score. */
    void score(MessageScorer.DetectorTiming timing) {
        int models = set.models().size();
        rows = new int[models][];
        rawScores = new double[models][];
        evidence = new double[models][];
        expected = new double[models][];
        for (int m = 0; m < models; m++) {
            TrainedModel model = set.models().get(m);
            Detector detector = model.detector();
            rows[m] = new int[entries.size()];
            double[][][] windows = windows(detector.windowLength(), rows[m]);
            long started = System.nanoTime();
            if (detector instanceof FeatureAttribution attribution) {
                evidence[m] = new double[windows.length * width];
                expected[m] = new double[windows.length * width];
                rawScores[m] = attribution.explain(windows, evidence[m], expected[m]);
            } else {
                rawScores[m] = detector.rawScores(windows);
            }
            timing.record(model.name(), System.nanoTime() - started);
        }
    }

    /** The windows of the given length the entries have; fills {@code rowOf} with each entry's row or -1. */
    private double[][][] windows(int length, int[] rowOf) {
        List<double[][]> windows = new ArrayList<>(entries.size());
        for (int e = 0; e < entries.size(); e++) {
            Entry entry = entries.get(e);
            double[][] window = length == 1 ? new double[][]{entry.z()} : entry.window();
            if (window == null) {
                rowOf[e] = -1;
                continue;
            }
            rowOf[e] = windows.size();
            windows.add(length == window.length ? window
                    : Arrays.copyOfRange(window, window.length - length, window.length));
        }
        return windows.toArray(double[][][]::new);
    }

    /** Whether model m scored entry e (a sequence model does not until the stream's window is full). */
    boolean scored(int m, int e) {
        return rows[m][e] >= 0;
    }

    double rawScore(int m, int e) {
        return rawScores[m][rows[m][e]];
    }

    /** Where entry e's evidence from model m starts in {@link #evidence(int)}, or -1 if it gave none. */
    int evidenceOffset(int m, int e) {
        return evidence[m] == null ? -1 : rows[m][e] * width;
    }

    double[] evidence(int m) {
        return evidence[m];
    }

    double[] expected(int m) {
        return expected[m];
    }
}
