package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.Standardizer;

/**
 * What the scorer remembers about one (asset_id, sensor_id) stream under one model set: its last standardized
 * vectors (sequence detectors), its last ensemble votes (persistence rule) and its adaptive baseline. Only the
 * stream's own consumer thread touches it (a stream stays on one partition); the monitor covers rebalances.
 */
final class StreamState {

    final String modelIdentity;
    private final double[][] ring;
    private int count;
    private final boolean[] votes;
    private int voteCount;
    private int quietVotes;
    /** The baseline's shift from the training mean, per feature, in training standard deviations. */
    private final double[] shift;
    long lastSeen;

    StreamState(String modelIdentity, int windowLength, int voteWindow, int width) {
        this.modelIdentity = modelIdentity;
        this.ring = new double[windowLength][];
        this.votes = new boolean[voteWindow];
        this.shift = new double[width];
    }

    /** z = (x - mean) / scale - shift: the deviation from the stream's current baseline, in training units. */
    synchronized double[] standardize(Standardizer standardizer, double[] vector) {
        double[] mean = standardizer.mean();
        double[] scale = standardizer.scale();
        double[] z = new double[vector.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = (vector[j] - mean[j]) / scale[j] - shift[j];
        }
        return z;
    }

    /** Appends a vector; returns the last {@code windowLength} vectors, oldest first, or null until that many. */
    synchronized double[][] push(double[] z) {
        ring[count % ring.length] = z;
        count++;
        if (count < ring.length) {
            return null;
        }
        double[][] ordered = new double[ring.length][];
        for (int i = 0; i < ring.length; i++) {
            ordered[i] = ring[(count + i) % ring.length];
        }
        return ordered;
    }

    /** Records this record's ensemble vote; returns how many of the last n votes (this one included) flagged. */
    synchronized int vote(boolean anomalous) {
        votes[voteCount % votes.length] = anomalous;
        voteCount++;
        quietVotes = anomalous ? 0 : quietVotes + 1;
        int flagged = 0;
        for (int i = 0; i < Math.min(voteCount, votes.length); i++) {
            if (votes[i]) {
                flagged++;
            }
        }
        return flagged;
    }

    /** How many votes in a row, up to the last one, did not flag. */
    synchronized int quietVotes() {
        return quietVotes;
    }

    /**
     * Moves the baseline a share {@code rate} of the way towards a record (z is relative to it), for each feature
     * whose deviation is within {@code gate}: a value out of its normal band teaches nothing.
     */
    synchronized void learn(double[] z, double rate, double gate, boolean[] only) {
        for (int j = 0; j < shift.length; j++) {
            if ((only == null || only[j]) && Math.abs(z[j]) <= gate) {
                shift[j] += rate * z[j];
            }
        }
    }
}
