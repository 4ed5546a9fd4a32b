package io.github.plantwatch.anomaly.support;

import java.time.Duration;

/** Wait-until loops with generous deadlines: tests assert on what happened, never on how fast. */
public final class Await {

    /** How long a fault test waits for the service to catch up: minutes, since the machine may be loaded. */
    public static final Duration PATIENCE = Duration.ofMinutes(3);

    /** A condition that may throw (it usually asks a broker or an HTTP API). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
