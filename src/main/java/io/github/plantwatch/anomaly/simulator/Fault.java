package io.github.plantwatch.anomaly.simulator;

/** Faults the simulator injects, each with the signature it leaves on the vibration features. */
public enum Fault {
    /** A bearing wearing out: impulsive vibration, so kurtosis and crest factor climb, then RMS follows. */
    BEARING,
    /** Rotor imbalance: a step in vibration energy (RMS, variance) at once. */
    IMBALANCE,
    /** A sensor going wrong: its signal's offset jumps and its variance collapses. */
    SENSOR;

    /**
     * Applies the fault to healthy features, {@code progress} in [0, 1] from onset to full severity.
     * Order of values: rms, kurtosis, crest_factor, variance, mean.
     */
    double[] apply(double[] healthy, double progress) {
        double[] v = healthy.clone();
        switch (this) {
            case BEARING -> {
                v[1] += 6.0 * progress;
                v[2] += 2.5 * progress;
                v[0] *= 1.0 + 1.5 * progress * progress;
                v[3] = v[0] * v[0];
            }
            case IMBALANCE -> {
                v[0] *= 2.2;
                v[3] = v[0] * v[0] * 1.2;
            }
            case SENSOR -> {
                v[4] += 0.8;
                v[3] *= 0.05;
                v[0] = Math.sqrt(v[3] + v[4] * v[4]);
            }
        }
        return v;
    }
}
