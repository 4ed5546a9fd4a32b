package io.github.plantwatch.anomaly.stream;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The last vectors of each (asset_id, sensor_id) stream, for sequence detectors. Bounded: at most
 * {@code maxStreams} streams, least recently seen evicted first, and a stream idle longer than {@code idleMillis}
 * is forgotten. A stream's window restarts when the model set changes (its vectors were standardized by the old one).
 */
public final class StreamWindows {

    private final int maxStreams;
    private final long idleMillis;
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>(1024, 0.75f, true);

    public StreamWindows(int maxStreams, long idleMillis) {
        this.maxStreams = maxStreams;
        this.idleMillis = idleMillis;
    }

    /**
     * Appends a vector to its stream and returns the stream's last {@code length} vectors, oldest first, or null
     * while fewer than {@code length} have been seen.
     */
    public synchronized double[][] append(String stream, long modelVersion, int length, double[] vector, long now) {
        Window window = windows.get(stream);
        if (window == null || window.modelVersion != modelVersion || window.ring.length != length) {
            window = new Window(modelVersion, length);
            windows.put(stream, window);
        }
        window.add(vector, now);
        evict(now);
        return window.snapshot();
    }

    public synchronized int size() {
        return windows.size();
    }

    private void evict(long now) {
        Iterator<Window> eldest = windows.values().iterator();
        while (eldest.hasNext()) {
            Window window = eldest.next();
            if (windows.size() > maxStreams || now - window.lastSeen > idleMillis) {
                eldest.remove();
            } else {
                return;
            }
        }
    }

    private static final class Window {
        private final long modelVersion;
        private final double[][] ring;
        private int count;
        private long lastSeen;

        Window(long modelVersion, int length) {
            this.modelVersion = modelVersion;
            this.ring = new double[length][];
        }

        void add(double[] vector, long now) {
            ring[count % ring.length] = vector;
            count++;
            lastSeen = now;
        }

        double[][] snapshot() {
            if (count < ring.length) {
                return null;
            }
            double[][] ordered = new double[ring.length][];
            for (int i = 0; i < ring.length; i++) {
                ordered[i] = ring[(count + i) % ring.length];
            }
            return ordered;
        }
    }
}
