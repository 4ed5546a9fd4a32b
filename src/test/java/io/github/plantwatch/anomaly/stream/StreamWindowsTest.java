package io.github.plantwatch.anomaly.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class StreamWindowsTest {

    private static double[] v(double x) {
        return new double[]{x};
    }

    @Test
    void returnsTheLastVectorsOldestFirstOnceTheWindowIsFull() {
        StreamWindows windows = new StreamWindows(10, 60_000);
        assertNull(windows.append("a", 1, 3, v(1), 0));
        assertNull(windows.append("a", 1, 3, v(2), 0));
        assertArrayEquals(new double[][]{v(1), v(2), v(3)}, windows.append("a", 1, 3, v(3), 0));
        assertArrayEquals(new double[][]{v(2), v(3), v(4)}, windows.append("a", 1, 3, v(4), 0));
    }

    @Test
    void keepsStreamsApart() {
        StreamWindows windows = new StreamWindows(10, 60_000);
        windows.append("a", 1, 2, v(1), 0);
        assertNull(windows.append("b", 1, 2, v(9), 0));
        assertArrayEquals(new double[][]{v(1), v(2)}, windows.append("a", 1, 2, v(2), 0));
    }

    @Test
    void evictsTheLeastRecentlySeenStreamBeyondTheBound() {
        StreamWindows windows = new StreamWindows(2, 60_000);
        windows.append("a", 1, 2, v(1), 0);
        windows.append("b", 1, 2, v(1), 1);
        windows.append("a", 1, 2, v(2), 2);
        windows.append("c", 1, 2, v(1), 3);
        assertEquals(2, windows.size());
        assertNotNull(windows.append("a", 1, 2, v(3), 4), "a was kept");
        assertNull(windows.append("b", 1, 2, v(2), 5), "b was evicted, its window restarts");
    }

    @Test
    void forgetsIdleStreamsAndRestartsOnANewModelSet() {
        StreamWindows windows = new StreamWindows(10, 1_000);
        windows.append("idle", 1, 2, v(1), 0);
        windows.append("busy", 1, 2, v(1), 0);
        windows.append("busy", 1, 2, v(2), 5_000);
        assertEquals(1, windows.size());
        assertNull(windows.append("busy", 2, 2, v(3), 5_001), "model set 2: the window restarts");
    }
}
