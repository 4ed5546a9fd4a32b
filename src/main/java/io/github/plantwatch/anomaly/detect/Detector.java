package io.github.plantwatch.anomaly.detect;

/**
 * An anomaly detector trained on standardized feature vectors. Point detectors look at one vector
 * ({@link #windowLength()} = 1); sequence detectors at the last {@code windowLength()} vectors of a stream.
 * Implementations are immutable after training and safe to call from several consumer threads.
 */
public interface Detector {

    /** The {@code model_name} in results and status, e.g. {@code isolation_forest}. */
    String name();

    /** How many consecutive vectors of one stream a score looks at. */
    int windowLength();

    /**
     * Raw anomaly scores, higher = more anomalous, one per window, computed in one batched call.
     *
     * @param windows windows[i] holds {@link #windowLength()} standardized vectors, oldest first
     */
    double[] rawScores(double[][][] windows);

    /**
     * Writes the numbers that define this detector, as {@link DetectorFormat#read} reads them back: the
     * detector's section of the portable model format ({@code docs/model-format.md}).
     */
    void write(ParameterSink out);
}
