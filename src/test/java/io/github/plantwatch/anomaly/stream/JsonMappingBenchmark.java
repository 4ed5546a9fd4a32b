package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.contract.ModelScore;
import io.github.plantwatch.anomaly.contract.ResultWriter;
import io.github.plantwatch.anomaly.support.SensorData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH: the JSON mapping on the hot path, per message: reading a seed-format input record, writing a result.
 * Run: {@code mvn -q test-compile exec:exec@jmh -Djmh.args="JsonMapping"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonMappingBenchmark {

    private byte[] input;
    private AnomalyResult result;

    @Setup
    public void messages() throws Exception {
        double[] values = new SensorData(1).healthy(3);
        input = SensorData.message("ASSET-0001", "VIB-1", values, "2026-01-01T12:00:00.000Z")
                .getBytes(StandardCharsets.UTF_8);
        FeatureMessage message = FeatureRecordParser.parse(input, 0);
        result = new AnomalyResult(message.assetId(), message.sensorId(), message.timestamp(),
                List.of(new ModelScore(0.43, "isolation_forest", 0.84, false),
                        new ModelScore(0.68, "one_class_svm", 0.83, false),
                        new ModelScore(0.51, "lstm_autoencoder", 0.80, false)),
                0.54, false, Criticality.LOW, message.features(), message.metadata(), 1, "global", List.of(),
                "extracted-features/0/123456", false, null);
    }

    @Benchmark
    public FeatureMessage readInput() throws RecordRejectedException {
        return FeatureRecordParser.parse(input, 0);
    }

    @Benchmark
    public byte[] writeResult() {
        return ResultWriter.write(result);
    }

    /** What writeResult replaced: the data binder, from the record's annotations. */
    @Benchmark
    public byte[] writeResultWithDataBinder() throws Exception {
        return JsonCodec.mapper().writeValueAsBytes(result);
    }
}
