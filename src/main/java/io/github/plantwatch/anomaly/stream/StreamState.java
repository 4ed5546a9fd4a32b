package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.Standardizer;

import java.util.Arrays;

/**
 * What the scorer remembers about one (asset_id, sensor_id) stream under one model set: its last standardized
 * vectors (sequence detectors), its last ensemble votes (persistence rule), its adaptive baseline and what the
 * settle rule watches. Only the stream's own consumer thread touches it (a stream stays on one partition); the
 * monitor covers rebalances.
 * <p>
 * The settle rule ends the dead-lock of a baseline that learns only from normal records: after a lasting change
 * (a new operating point) every record is anomalous, so nothing is learned and the alarm never ends. The state
 * keeps a recent level of every feature (an average over about a tenth of the settle time) and an anchor; when the
 * recent level moves more than the tolerance from the anchor, the anchor moves there and the count restarts. A
 * stream that has stayed anomalous at a level that has not moved for the settle time takes that level as its
 * baseline: a change that has stopped changing becomes the new normal, while a fault that keeps developing keeps
 * moving its level, restarts the count, and stays anomalous.
 */
final class StreamState {

    final String modelIdentity;
    private final Standardizer standardizer;
    /** The sequence detectors' last vectors; a slot is replaced by a new vector, never written into. */
    private final double[][] ring;
    private int count;
    private final boolean[] votes;
    private int voteCount;
    private int quietVotes;
    /** The vote count when a vote resting on a sequence detector's window alone last counted; -1: none has. */
    private long windowVoteCast = -1;
    /** The baseline's shift from the training mean, per feature, in training standard deviations. */
    private final double[] shift;
    /** What records judged normal would teach the baseline, held until the stream has stayed clear long enough. */
    private final double[] pending;
    private int clearRecords;
    /** The settle rule's recent level and anchor, in training standard deviations from the training mean. */
    private final double[] recent;
    private final double[] anchor;
    private boolean settleStarted;
    private int steadyRecords;
    private int anomalousWhileSteady;
    /** The stream's last records for retraining; null when the stream is not retrained. */
    final StreamHistory history;
    /** The stream's anomaly episode: it spans a change of model set. */
    Episode episode = new Episode();
    /** How much of the operators' feedback the stream has applied (FeedbackBook sequence); -1: none looked at yet. */
    long feedbackSeen = -1;
    long lastSeen;

    StreamState(String modelIdentity, Standardizer standardizer, int windowLength, int voteWindow,
                StreamHistory history) {
        int width = standardizer.mean().length;
        this.modelIdentity = modelIdentity;
        this.standardizer = standardizer;
        this.ring = new double[windowLength][];
        this.votes = new boolean[voteWindow];
        this.shift = new double[width];
        this.pending = new double[width];
        this.recent = new double[width];
        this.anchor = new double[width];
        this.history = history;
    }

    /**
     * The state of a stream that another model set scores from now on. What belongs to the stream carries over:
     * its history, and, unless its newest record was anomalous, its votes and its baseline (the level it has
     * learned, in the features' units, restated in the new set's standardization); a stream in an alarm starts
     * both again under the new set, whose judgement replaces the old one's (an alarm the old set raised on what the
     * new set was trained to call normal must not be carried over; a fault far out is flagged again at once). Its
     * window is rebuilt from the history under the new standardization, so that no detector starts cold. The
     * settle rule starts again.
     */
    StreamState(String modelIdentity, Standardizer standardizer, int windowLength, int voteWindow,
                StreamState previous) {
        this(modelIdentity, standardizer, windowLength, voteWindow, previous.history);
        episode = previous.episode;
        feedbackSeen = previous.feedbackSeen;
        boolean inAlarm = history != null && history.anomalousRun() > 0;
        synchronized (previous) {
            Standardizer before = previous.standardizer;
            if (!inAlarm && before.mean().length == shift.length) {
                System.arraycopy(previous.votes, 0, votes, 0, Math.min(votes.length, previous.votes.length));
                voteCount = previous.voteCount;
                quietVotes = previous.quietVotes;
                windowVoteCast = previous.windowVoteCast;
                for (int j = 0; j < shift.length; j++) {
                    double level = before.mean()[j] + before.scale()[j] * previous.shift[j];
                    shift[j] = (level - standardizer.mean()[j]) / standardizer.scale()[j];
                }
            }
        }
        if (history != null) {
            for (double[] row : history.newest(windowLength - 1)) {
                if (row.length == shift.length) {
                    push(standardize(row));
                }
            }
        }
    }

    /**
     * The state a snapshot holds, under the same model set (the caller checks the identity): the verdicts that follow
     * are those the stream would have had without the restart. A fresh retraining history.
     */
    StreamState(StreamSnapshot snapshot, Standardizer standardizer, int windowLength, int voteWindow,
                StreamHistory history) {
        this(snapshot.modelIdentity(), standardizer, windowLength, voteWindow, history);
        if (snapshot.window().length != ring.length || snapshot.votes().length != votes.length
                || snapshot.shift().length != shift.length) {
            throw new IllegalArgumentException("a stream state of other sizes than its model set's");
        }
        System.arraycopy(snapshot.window(), 0, ring, 0, ring.length);
        count = (int) snapshot.pushed();
        System.arraycopy(snapshot.votes(), 0, votes, 0, votes.length);
        voteCount = (int) snapshot.cast();
        quietVotes = snapshot.quietVotes();
        windowVoteCast = snapshot.windowVoteCast();
        System.arraycopy(snapshot.shift(), 0, shift, 0, shift.length);
        System.arraycopy(snapshot.pending(), 0, pending, 0, pending.length);
        clearRecords = snapshot.clearRecords();
        System.arraycopy(snapshot.recent(), 0, recent, 0, recent.length);
        System.arraycopy(snapshot.anchor(), 0, anchor, 0, anchor.length);
        settleStarted = snapshot.settleStarted();
        steadyRecords = snapshot.steadyRecords();
        anomalousWhileSteady = snapshot.anomalousWhileSteady();
        episode = snapshot.episode().copy(); // the snapshot may be kept (a mark, a checkpoint's before state)
    }

    /**
     * What the stream-state changelog keeps of this stream (copies: the state goes on changing). The ring's
     * vectors are shared, not copied: a slot is replaced by a new vector, never written into.
     */
    synchronized StreamSnapshot snapshot(String assetId) {
        return new StreamSnapshot(assetId, modelIdentity, ring.clone(), count, votes.clone(), voteCount, quietVotes,
                shift.clone(), pending.clone(), clearRecords, recent.clone(), anchor.clone(), settleStarted,
                steadyRecords, anomalousWhileSteady, episode.copy(), windowVoteCast);
    }

    /** The stream's current baseline in the features' units: the training mean moved by what the stream learned. */
    synchronized double[] baseline() {
        double[] baseline = new double[shift.length];
        for (int j = 0; j < baseline.length; j++) {
            baseline[j] = standardizer.mean()[j] + standardizer.scale()[j] * shift[j];
        }
        return baseline;
    }

    /**
     * The largest deviation kept, in training standard deviations: any record this far out is as anomalous as it
     * gets (its rarity is already the maximum long before), and its square (1e300) and sums of squares over any
     * realistic number of features stay finite. Without the bound, a value such as 1e300 or -1e308 against a
     * small training scale gives an infinite z, and infinities in the window, baseline or settle rule turn into NaN
     * (Infinity - Infinity) in later records' scores and explanations.
     */
    static final double MAX_DEVIATION = 1e150;

    /**
     * z = (x - mean) / scale - shift: the deviation from the stream's current baseline, in training units, within
     * +-{@link #MAX_DEVIATION}.
     */
    synchronized double[] standardize(double[] vector) {
        return standardize(vector, standardizer, shift);
    }

    private static double[] standardize(double[] vector, Standardizer standardizer, double[] shift) {
        double[] mean = standardizer.mean();
        double[] scale = standardizer.scale();
        double[] z = new double[vector.length];
        for (int j = 0; j < z.length; j++) {
            double deviation = (vector[j] - mean[j]) / scale[j] - shift[j];
            // NaN only from an overflowed difference of infinities: far out, in the direction of the value
            z[j] = Double.isNaN(deviation) ? Math.copySign(MAX_DEVIATION, vector[j] - mean[j])
                    : Math.clamp(deviation, -MAX_DEVIATION, MAX_DEVIATION);
        }
        return z;
    }

    /** Appends a vector; returns the last {@code windowLength} vectors, oldest first, or null until that many. */
    synchronized double[][] push(double[] z) {
        ring[count % ring.length] = z;
        count++;
        return window(ring, count);
    }

    /** The last ring.length vectors of a ring that has had {@code count} pushed, oldest first; null until full. */
    private static double[][] window(double[][] ring, int count) {
        if (count < ring.length) {
            return null;
        }
        double[][] ordered = new double[ring.length][];
        for (int i = 0; i < ring.length; i++) {
            ordered[i] = ring[(count + i) % ring.length];
        }
        return ordered;
    }

    /**
     * The window a vector would make, without keeping it: how a record in maintenance is scored, leaving the window
     * as it found it. Null until the stream has pushed enough vectors.
     */
    synchronized double[][] windowWith(double[] z) {
        return windowWith(ring, count, z);
    }

    private static double[][] windowWith(double[][] ring, int count, double[] z) {
        if (count + 1 < ring.length) {
            return null;
        }
        double[][] ordered = new double[ring.length][];
        for (int i = 0; i < ring.length - 1; i++) {
            ordered[i] = ring[(count + 1 + i) % ring.length];
        }
        ordered[ring.length - 1] = z;
        return ordered;
    }

    /**
     * Whether the stream, as it is now, would give a record with these values exactly the standardized vector and
     * window that were predicted for it ({@link Lookahead}), bit for bit.
     *
     * @param sequence whether the model set has a sequence detector (else no window is compared)
     */
    synchronized boolean gives(double[] observed, double[] z, double[][] window, boolean sequence) {
        if (!Arrays.equals(standardize(observed), z)) {
            return false;
        }
        if (!sequence) {
            return true;
        }
        if (window == null) {
            return count + 1 < ring.length;
        }
        if (count + 1 < ring.length) {
            return false;
        }
        for (int i = 0; i < ring.length - 1; i++) {
            double[] slot = ring[(count + 1 + i) % ring.length];
            if (slot != window[i] && !Arrays.equals(slot, window[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Replaces the newest vector of the window with the stream's baseline (z = 0): a record found far out has been
     * flagged on its own, and the records after it are judged in the context of what the stream normally does,
     * not of the outlier (which would otherwise raise the sequence detectors' error for a whole window).
     */
    synchronized void forgetNewest() {
        if (count > 0) {
            ring[(count - 1) % ring.length] = new double[shift.length];
        }
    }

    /**
     * Whether a vote resting on a sequence detector's window alone counts ({@link PersistenceRule}): when none has
     * in the last {@code window} votes. Remembers it when it does.
     */
    synchronized boolean countWindowVote(int window) {
        if (windowVoteCast >= 0 && voteCount - windowVoteCast < window) {
            return false;
        }
        windowVoteCast = voteCount;
        return true;
    }

    /** Records this record's ensemble vote; returns how many of the last n votes (this one included) flagged. */
    synchronized int vote(boolean anomalous) {
        votes[voteCount % votes.length] = anomalous;
        voteCount++;
        quietVotes = anomalous ? 0 : quietVotes + 1;
        return flaggedVotes();
    }

    /** How many of the last n votes flagged. */
    synchronized int flaggedVotes() {
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
        learn(shift, z, rate, gate, only);
    }

    private static void learn(double[] shift, double[] z, double rate, double gate, boolean[] only) {
        for (int j = 0; j < shift.length; j++) {
            if ((only == null || only[j]) && Math.abs(z[j]) <= gate) {
                shift[j] += rate * z[j];
            }
        }
    }

    /**
     * The baseline's learning from records judged normal, applied only once the stream has had no anomaly for
     * {@code clearance} records in a row: a fault flickers, and the records it lets through as normal must not
     * teach the baseline the fault; an anomaly drops what its run of normal records would have taught.
     *
     * @param z      the record's deviation from the baseline it was judged against
     * @param normal whether it was judged normal (no vote, no anomaly)
     */
    synchronized void learnWhenClear(double[] z, boolean normal, boolean anomalous, double rate, int clearance) {
        clearRecords = learnWhenClear(shift, pending, clearRecords, z, normal, anomalous, rate, clearance);
    }

    /** {@link #learnWhenClear} on the given arrays; returns the new count of clear records. */
    private static int learnWhenClear(double[] shift, double[] pending, int clearRecords, double[] z, boolean normal,
                                      boolean anomalous, double rate, int clearance) {
        if (anomalous) {
            Arrays.fill(pending, 0);
            return 0;
        }
        if (normal) {
            for (int j = 0; j < pending.length; j++) {
                pending[j] += rate * z[j];
            }
        }
        if (++clearRecords >= clearance) {
            for (int j = 0; j < shift.length; j++) {
                shift[j] += pending[j];
            }
            Arrays.fill(pending, 0);
            return 0;
        }
        return clearRecords;
    }

    /**
     * A private copy of what decides the detectors' input for the stream's next records (baseline and window), to
     * predict their standardized vectors and windows before the records before them are judged: each next record
     * is assumed to be judged normal and not far out, as most are. {@link #gives} tells, record by record, whether a
     * prediction held.
     */
    synchronized Lookahead lookahead() {
        return new Lookahead(standardizer, shift.clone(), pending.clone(), clearRecords, ring.clone(), count);
    }

    /** See {@link #lookahead()}. */
    static final class Lookahead {
        private final Standardizer standardizer;
        private final double[] shift;
        private final double[] pending;
        private int clearRecords;
        private final double[][] ring;
        private int count;

        private Lookahead(Standardizer standardizer, double[] shift, double[] pending, int clearRecords,
                          double[][] ring, int count) {
            this.standardizer = standardizer;
            this.shift = shift;
            this.pending = pending;
            this.clearRecords = clearRecords;
            this.ring = ring;
            this.count = count;
        }

        /** The next record's standardized vector, as {@link #standardize} will give it if the prediction holds. */
        double[] standardize(double[] observed) {
            return StreamState.standardize(observed, standardizer, shift);
        }

        /** The window the next record makes: pushed, or only looked at (a record in maintenance). */
        double[][] window(double[] z, boolean pushes) {
            if (!pushes) {
                return windowWith(ring, count, z);
            }
            ring[count % ring.length] = z;
            count++;
            return StreamState.window(ring, count);
        }

        /** What the stream learns from the values alone, as {@link StreamState#learn}. */
        void learn(double[] z, double rate, double gate, boolean[] only) {
            StreamState.learn(shift, z, rate, gate, only);
        }

        /** What the stream learns from a record judged normal, as {@link StreamState#learnWhenClear}. */
        void learnAsNormal(double[] z, double rate, int clearance) {
            clearRecords = StreamState.learnWhenClear(shift, pending, clearRecords, z, true, false, rate, clearance);
        }
    }

    /**
     * The settle rule (class comment), after a record's verdict.
     *
     * @param z the record's deviation from the baseline it was judged against
     * @return whether the stream took its recent level as its new baseline
     */
    synchronized boolean settle(double[] z, boolean anomalous, double rate, int records, double tolerance) {
        boolean moved = false;
        for (int j = 0; j < shift.length; j++) {
            double level = z[j] + shift[j];
            recent[j] = settleStarted ? recent[j] + rate * (level - recent[j]) : level;
            moved |= Math.abs(recent[j] - anchor[j]) > tolerance;
        }
        if (moved || !settleStarted) {
            settleStarted = true;
            System.arraycopy(recent, 0, anchor, 0, anchor.length);
            steadyRecords = 0;
            anomalousWhileSteady = 0;
            return false;
        }
        steadyRecords++;
        if (anomalous) {
            anomalousWhileSteady++;
        }
        if (steadyRecords < records || !anomalous || 2 * anomalousWhileSteady < steadyRecords) {
            return false;
        }
        System.arraycopy(recent, 0, shift, 0, shift.length);
        steadyRecords = 0;
        anomalousWhileSteady = 0;
        return true;
    }
}
