package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.ModelSet;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The {@link StreamState} of each (asset_id, sensor_id) stream. Bounded: at most {@code maxStreams} streams, least
 * recently seen evicted first, and a stream idle longer than {@code idleMillis} is forgotten. A stream's state
 * restarts when another model set scores it (its vectors were standardized by the old one).
 */
public final class StreamStates {

    private final int maxStreams;
    private final long idleMillis;
    private final int voteWindow;
    private final LinkedHashMap<String, StreamState> states = new LinkedHashMap<>(1024, 0.75f, true);

    public StreamStates(int maxStreams, long idleMillis, int voteWindow) {
        this.maxStreams = maxStreams;
        this.idleMillis = idleMillis;
        this.voteWindow = voteWindow;
    }

    StreamState state(String stream, ModelSet models, long now) {
        return state(stream, models.identity(), models.longestWindow(), models.featureNames().size(), now);
    }

    /** The stream's state under the model set {@code modelIdentity}, new when it had none or another set's. */
    synchronized StreamState state(String stream, String modelIdentity, int windowLength, int width, long now) {
        StreamState state = states.get(stream);
        if (state == null || !state.modelIdentity.equals(modelIdentity)) {
            state = new StreamState(modelIdentity, windowLength, voteWindow, width);
            states.put(stream, state);
        }
        state.lastSeen = now;
        evict(now);
        return state;
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
            } else {
                return;
            }
        }
    }
}
