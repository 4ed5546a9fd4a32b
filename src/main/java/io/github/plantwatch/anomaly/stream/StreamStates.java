package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.Standardizer;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The {@link StreamState} of each (asset_id, sensor_id) stream. Bounded: at most {@code maxStreams} streams, least
 * recently seen evicted first, and a stream idle longer than {@code idleMillis} is forgotten. When another model set
 * scores a stream, its state carries over what does not depend on the set (votes, history) and rebuilds the rest.
 */
public final class StreamStates {

    private final int maxStreams;
    private final long idleMillis;
    private final int voteWindow;
    private final RetrainingSettings retraining;
    private final LinkedHashMap<String, StreamState> states = new LinkedHashMap<>(1024, 0.75f, true);
    private int histories;

    public StreamStates(int maxStreams, long idleMillis, int voteWindow) {
        this(maxStreams, idleMillis, voteWindow, RetrainingSettings.OFF);
    }

    /** Streams keep a history for retraining while fewer than {@code retraining.maxStreams()} have one. */
    public StreamStates(int maxStreams, long idleMillis, int voteWindow, RetrainingSettings retraining) {
        this.maxStreams = maxStreams;
        this.idleMillis = idleMillis;
        this.voteWindow = voteWindow;
        this.retraining = retraining;
    }

    StreamState state(String stream, ModelSet models, long now) {
        return state(stream, models.identity(), models.longestWindow(), models.standardizer(), now);
    }

    /**
     * The stream's state under the model set {@code modelIdentity}: new when it had none; carried over
     * ({@link StreamState}'s second constructor) when another set scored it.
     */
    synchronized StreamState state(String stream, String modelIdentity, int windowLength, Standardizer standardizer,
                                   long now) {
        StreamState state = states.get(stream);
        if (state == null) {
            state = new StreamState(modelIdentity, standardizer, windowLength, voteWindow, newHistory());
            states.put(stream, state);
        } else if (!state.modelIdentity.equals(modelIdentity)) {
            state = new StreamState(modelIdentity, standardizer, windowLength, voteWindow, state);
            states.put(stream, state);
        }
        state.lastSeen = now;
        evict(now);
        return state;
    }

    /** The snapshot of a stream's state, or null when it has none. */
    synchronized StreamSnapshot snapshot(String stream, String assetId) {
        StreamState state = states.get(stream);
        return state == null ? null : state.snapshot(assetId);
    }

    /**
     * Replaces a stream's state by a snapshot taken under the model set {@code models} (the caller checks the
     * identity); with {@code snapshot} null, forgets the stream (it had no checkpoint).
     */
    synchronized void restore(String stream, StreamSnapshot snapshot, ModelSet models, long now) {
        StreamState replaced = states.remove(stream);
        if (replaced != null && replaced.history != null) {
            histories--;
        }
        if (snapshot != null) {
            StreamState state = new StreamState(snapshot, models.standardizer(), models.longestWindow(), voteWindow,
                    newHistory());
            state.lastSeen = now;
            states.put(stream, state);
        }
    }

    /** Where a stream stands: what {@link #rollback} puts it back to. */
    record Mark(StreamSnapshot snapshot, StreamHistory.Mark history, long feedbackSeen) {
    }

    /** Where the stream stands now; its snapshot is null when it has no state. */
    synchronized Mark mark(String stream, String assetId) {
        StreamState state = states.get(stream);
        return state == null ? new Mark(null, null, -1) : new Mark(state.snapshot(assetId),
                state.history == null ? null : state.history.mark(), state.feedbackSeen);
    }

    /**
     * Puts a stream back where it stood at {@code mark}, under the model set {@code models} that scores it now: the
     * records scored since are taken back (its retraining history included). A stream that had no state, or one
     * under another set, is forgotten (it starts again, as after a model change).
     */
    synchronized void rollback(String stream, Mark mark, ModelSet models, long now) {
        StreamState current = states.get(stream);
        if (mark.snapshot() == null || models == null
                || !models.identity().equals(mark.snapshot().modelIdentity())) {
            restore(stream, null, models, now);
            return;
        }
        StreamHistory history = current == null ? newHistory() : current.history;
        if (current != null && history != null && mark.history() != null) {
            history.rollback(mark.history());
        }
        StreamState state = new StreamState(mark.snapshot(), models.standardizer(), models.longestWindow(),
                voteWindow, history);
        state.feedbackSeen = mark.feedbackSeen();
        state.lastSeen = now;
        states.put(stream, state);
    }

    private StreamHistory newHistory() {
        if (retraining.enabled() && histories < retraining.maxStreams()) {
            histories++;
            return new StreamHistory(retraining.historyRows());
        }
        return null;
    }

    public synchronized int size() {
        return states.size();
    }

    private void evict(long now) {
        Iterator<StreamState> eldest = states.values().iterator();
        while (eldest.hasNext()) {
            StreamState state = eldest.next();
            if (states.size() > maxStreams || now - state.lastSeen > idleMillis) {
                eldest.remove();
                if (state.history != null) {
                    histories--;
                }
            } else {
                return;
            }
        }
    }
}
