package io.github.plantwatch.anomaly.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** Seed-format feature vectors of a healthy machine (slow oscillation plus noise), and clearly faulty ones. */
public final class SensorData {

    public static final List<String> FEATURES = List.of("rms", "kurtosis", "crest_factor", "variance", "mean");

    private final Random random;

    public SensorData(long seed) {
        this.random = new Random(seed);
    }

    public double[] healthy(int t) {
        double rms = 0.5 + 0.05 * Math.sin(t / 8.0) + 0.01 * random.nextGaussian();
        return new double[]{rms, 3.0 + 0.1 * random.nextGaussian(), 1.4 + 0.04 * random.nextGaussian(),
                rms * rms + 0.005 * random.nextGaussian(), 0.01 * random.nextGaussian()};
    }

    public double[] faulty() {
        return new double[]{2.5 + 0.1 * random.nextGaussian(), 9.0, 4.0, 6.0, 0.5};
    }

    public double[][] healthyRows(int n) {
        double[][] rows = new double[n][];
        for (int t = 0; t < n; t++) {
            rows[t] = healthy(t);
        }
        return rows;
    }

    public static Map<String, Double> named(double[] values) {
        Map<String, Double> features = new LinkedHashMap<>();
        for (int j = 0; j < values.length; j++) {
            features.put(FEATURES.get(j), values[j]);
        }
        return features;
    }

    /** A message exactly in the seed's input format. */
    public static String message(String asset, String sensor, double[] values, String timestamp) {
        return message(asset, sensor, values, timestamp, "{\"line\": \"A\"}");
    }

    /** A message in the seed's input format with the given metadata object (JSON text). */
    public static String message(String asset, String sensor, double[] values, String timestamp, String metadata) {
        StringBuilder features = new StringBuilder();
        for (int j = 0; j < values.length; j++) {
            features.append(j == 0 ? "" : ", ").append('"').append(FEATURES.get(j)).append("\": ")
                    .append(String.format(Locale.ROOT, "%.6f", values[j]));
        }
        return "{\"asset_id\": \"" + asset + "\", \"sensor_id\": \"" + sensor + "\", \"features\": {" + features
                + "}, \"timestamp\": \"" + timestamp + "\", \"metadata\": " + metadata + "}";
    }

    /** The body of POST /api/v1/anomalies/train for these rows, plus extra JSON fields (may be empty). */
    public static String trainingRequest(double[][] rows, String extraFields) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            data.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < rows[i].length; j++) {
                data.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", rows[i][j]));
            }
            data.append(']');
        }
        return "{\"data\": [" + data + "], \"feature_names\": [\"rms\", \"kurtosis\", \"crest_factor\", "
                + "\"variance\", \"mean\"]" + (extraFields.isEmpty() ? "" : ", " + extraFields) + "}";
    }

    /** A training request small enough to train in seconds: 300 rows, LSTM window 5, 2 epochs. */
    public static String quickTrainingRequest() {
        return trainingRequest(new SensorData(3).healthyRows(300), "\"lstm_window\": 5, \"lstm_epochs\": 2");
    }
}
