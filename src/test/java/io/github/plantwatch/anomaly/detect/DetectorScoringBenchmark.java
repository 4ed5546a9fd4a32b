package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.support.SensorData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * JMH: each detector's scoring cost per window, one window per call ({@code batch = 1}) and in batches as the
 * streaming route calls it. Run: {@code mvn -q test-compile exec:exec@jmh -Djmh.args="DetectorScoring"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DetectorScoringBenchmark {

    @Param({IsolationForestDetector.NAME, OneClassSvmDetector.NAME, LstmAutoencoderDetector.NAME})
    public String detector;

    @Param({"1", "32", "500"})
    public int batch;

    private Detector model;
    private double[][][] windows;

    @Setup
    public void train() {
        SensorData data = new SensorData(1);
        double[][] raw = data.healthyRows(2000);
        double[][] rows = Standardizer.fit(raw).apply(raw);
        model = switch (detector) {
            case IsolationForestDetector.NAME -> IsolationForestDetector.fit(rows, 100);
            case OneClassSvmDetector.NAME -> OneClassSvmDetector.fit(rows, 0.1, 42); // the default contamination
            default -> LstmAutoencoderDetector.fit(rows, 10, 2, 42, epoch -> { });
        };
        windows = Arrays.copyOf(Windows.sliding(rows, model.windowLength()), batch);
    }

    /** Average time per call; divide by {@code batch} for the time per window. */
    @Benchmark
    public double[] score() {
        return model.rawScores(windows);
    }

    /** DL4J's own batched forward pass, for comparison with the plain-Java one. */
    @Benchmark
    public double[] dl4jReference() {
        return model instanceof LstmAutoencoderDetector lstm ? lstm.rawScoresWithDl4j(windows) : null;
    }
}
