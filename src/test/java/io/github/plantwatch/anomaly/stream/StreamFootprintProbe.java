package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.Settings;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.support.HeapReading;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.train.DetectorCatalog;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Run in a JVM of its own by {@link StreamFootprintTest}: a scoring core with the shipped scoring settings (and the
 * window of the shipped LSTM) takes a record from each of {@code first} streams, then from {@code more} further
 * ones, and prints the heap each of the further streams adds, read after full collections. The first streams hold
 * the retraining histories (at most retraining.max-streams streams keep one), the further ones what every stream
 * keeps.
 */
public final class StreamFootprintProbe {

    private StreamFootprintProbe() {
    }

    public static void main(String[] args) throws Exception {
        int first = Integer.parseInt(args[0]);
        int more = Integer.parseInt(args[1]);
        Settings shipped = Settings.shipped();
        TrainingSettings training = new TrainingSettings(DetectorCatalog.NAMES, 0.1,
                shipped.trainingDefaults().lstmWindow(), 1, 10, 42, 0.25, 0.5);
        ModelSet set = new ModelTrainer().train(new TrainingRequest(new SensorData(2).healthyRows(300),
                SensorData.FEATURES, training), 1, step -> { });
        MessageScorer scorer = new MessageScorer(asset -> Optional.of(set), shipped.scoring());
        SensorData data = new SensorData(3);
        score(scorer, data, 0, first);
        long before = HeapReading.usedAfterGc();
        score(scorer, data, first, first + more);
        long after = HeapReading.usedAfterGc();
        System.out.println("heap-per-stream=" + (after - before) / more + " streams=" + (first + more));
    }

    /** One record of each stream in [from, to), in batches of 500 as the route polls them. */
    private static void score(MessageScorer scorer, SensorData data, int from, int to) {
        List<FeatureMessage> batch = new ArrayList<>(500);
        for (int stream = from; stream < to; stream++) {
            batch.add(new FeatureMessage("ASSET-" + stream, "VIB-1", SensorData.named(data.healthy(stream)),
                    "2026-01-01T00:00:00Z", JsonCodec.mapper().createObjectNode()));
            if (batch.size() == 500 || stream == to - 1) {
                scorer.score(batch);
                batch.clear();
            }
        }
    }
}
