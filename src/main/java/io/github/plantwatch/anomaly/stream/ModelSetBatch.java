package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.MaintenanceWindow;
import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.FeatureAttribution;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TrainedModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of one batch that one model set scores, and what its detectors said about them. Each detector is
 * called once for all of them (a sequence detector for those whose stream's window is full): batched calls are
 * what the detectors are fast at.
 */
final class ModelSetBatch {

    /** One message ready for the detectors: its place in the batch, its vectors and its stream. */
    record Entry(int index, FeatureMessage message, double[] observed, double[] z, double[][] window,
                 StreamState state, MaintenanceWindow maintenance) {
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
        Map<Integer, CallInput> inputs = new HashMap<>(); // detectors of one window length share theirs
        for (int m = 0; m < models; m++) {
            TrainedModel model = set.models().get(m);
            Detector detector = model.detector();
            CallInput input = inputs.computeIfAbsent(detector.windowLength(), this::callInput);
            rows[m] = input.rowOf();
            double[][][] windows = input.windows();
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

    /** What a detector of one window length is called with, and each entry's row in it (-1: not scored). */
    private record CallInput(double[][][] windows, int[] rowOf) {
    }

    /** The windows of the given length the entries have. */
    private CallInput callInput(int length) {
        int[] rowOf = new int[entries.size()];
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
        return new CallInput(windows.toArray(double[][][]::new), rowOf);
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
