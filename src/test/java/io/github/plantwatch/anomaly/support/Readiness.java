package io.github.plantwatch.anomaly.support;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The service's readiness check as a fault test watches it: DOWN (503) with the reason while its stream is paused on
 * a batch that keeps failing (FailedBatchBackoff), UP again once the stream resumes. Works on the service in this JVM
 * ({@link RunningService}) and in its own ({@link ServiceProcess}).
 */
public final class Readiness {

    private static final String READY = "/observe/health/ready";

    /** A GET on the service's management server. */
    @FunctionalInterface
    public interface ManagementServer {
        HttpResponse<String> get(String path) throws IOException, InterruptedException;
    }

    private Readiness() {
    }

    /** Waits until readiness is DOWN naming {@code topic}: the stream is paused on a topic it cannot write. */
    public static void awaitPausedOn(ManagementServer server, String topic, Duration timeout) throws Exception {
        Await.until("readiness DOWN, naming the topic " + topic, timeout, () -> {
            HttpResponse<String> ready = server.get(READY);
            return ready.statusCode() == 503 && ready.body().contains(topic);
        });
    }

    /** Waits until readiness is UP: the stream has resumed by itself. */
    public static void awaitResumed(ManagementServer server, Duration timeout) throws Exception {
        Await.until("readiness UP again", timeout, () -> server.get(READY).statusCode() == 200);
    }
}
