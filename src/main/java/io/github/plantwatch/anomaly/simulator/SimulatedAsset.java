package io.github.plantwatch.anomaly.simulator;

import java.util.Random;

/**
 * One machine's feature series: its own operating level, a slow load cycle, a slow drift (wear, temperature)
 * and measurement noise; sometimes a fault that grows over {@code faultSeconds} and then clears.
 */
final class SimulatedAsset {

    private static final double FAULT_SECONDS = 40;

    final String assetId;
    final String sensorId;
    private final Random random;
    private final double level;
    private final double cyclePeriod;
    private final double driftPerStep;
    private Fault fault;
    private int faultStep;

    SimulatedAsset(String assetId, String sensorId, long seed) {
        this.assetId = assetId;
        this.sensorId = sensorId;
        this.random = new Random(seed);
        this.level = 0.4 + 0.3 * random.nextDouble();
        this.cyclePeriod = 60 + 60 * random.nextDouble();
        this.driftPerStep = 0.00005 * level;
    }

    /** Healthy features at step {@code t}: rms, kurtosis, crest_factor, variance, mean. */
    double[] healthy(int t) {
        double rms = level * (1 + 0.08 * Math.sin(2 * Math.PI * t / cyclePeriod)) + driftPerStep * t
                + 0.01 * random.nextGaussian();
        return new double[]{rms, 3.0 + 0.12 * random.nextGaussian(), 1.41 + 0.05 * random.nextGaussian(),
                rms * rms + 0.004 * random.nextGaussian(), 0.01 * random.nextGaussian()};
    }

    void startFault(Fault kind) {
        if (fault == null) {
            fault = kind;
            faultStep = 0;
        }
    }

    boolean faulty() {
        return fault != null;
    }

    /** The next vector: healthy, or under the current fault (which clears after twice its growth time). */
    double[] next(int t, double stepsPerSecond) {
        double[] values = healthy(t);
        if (fault == null) {
            return values;
        }
        double progress = Math.min(1.0, faultStep / (FAULT_SECONDS * stepsPerSecond));
        double[] faulty = fault.apply(values, progress);
        if (++faultStep > 2 * FAULT_SECONDS * stepsPerSecond) {
            fault = null;
        }
        return faulty;
    }
}
