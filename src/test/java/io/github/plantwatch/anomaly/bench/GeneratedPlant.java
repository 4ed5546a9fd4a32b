package io.github.plantwatch.anomaly.bench;

import io.github.plantwatch.anomaly.support.SensorData;

import java.util.Locale;
import java.util.Random;

/**
 * The plant the benchmark and the normal-run command score: records round-robin over the assets, each asset a
 * healthy {@link SensorData} series with faults that last {@link #FAULT_RECORDS} of its records, about 1 % of the
 * records in all (the same draws for the same data, asset count and order of calls).
 */
final class GeneratedPlant {

    /**
     * A fault lasts this many consecutive records of its asset: a machine in trouble stays in trouble for a while
     * (SKAB's anomalous intervals last 337 to 405 records, one per second), and one episode per fault is what the
     * episodes are for. It was a single record, which measured episodes on isolated outliers (docs/performance.md).
     */
    static final int FAULT_RECORDS = 100;

    /** One record of the plant: its asset, its feature values, and whether it lies in a fault. */
    record Reading(String assetId, double[] values, boolean fault) {
    }

    private final SensorData data;
    private final int assets;
    private final int[] faultLeft;
    private final Random faults = new Random(5);

    GeneratedPlant(SensorData data, int assets) {
        this.data = data;
        this.assets = assets;
        this.faultLeft = new int[assets];
    }

    /** Record {@code i} of the plant; call with i = 0, 1, 2, ... in order (faults run on from record to record). */
    Reading next(int i) {
        int asset = i % assets;
        if (faultLeft[asset] == 0 && faults.nextDouble() < 0.01 / FAULT_RECORDS) {
            faultLeft[asset] = FAULT_RECORDS;
        }
        boolean fault = faultLeft[asset] > 0;
        faultLeft[asset] -= fault ? 1 : 0;
        return new Reading(assetId(asset), fault ? data.faulty() : data.healthy(i / assets), fault);
    }

    static String assetId(int asset) {
        return String.format(Locale.ROOT, "ASSET-%04d", asset);
    }
}
