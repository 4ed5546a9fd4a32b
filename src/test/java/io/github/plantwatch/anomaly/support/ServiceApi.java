package io.github.plantwatch.anomaly.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The service's HTTP API as a test talks to it: real HTTP to one host and port. */
public final class ServiceApi {

    /** Training, waiting for the job to finish: the answer is the training report (200) or the job's error. */
    public static final String TRAIN = "/api/v1/anomalies/train?wait=true";
    public static final String STATUS = "/api/v1/anomalies/status";

    private final String host;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ServiceApi(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public int port() {
        return port;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST with any Content-Type (null: none). */
    public HttpResponse<String> post(String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> train(String body, String... headers) throws IOException, InterruptedException {
        return post(TRAIN, body, headers);
    }

    /**
     * Waits until the status endpoint answers. {@code alive} lets a caller whose service runs in another process fail
     * at once when that process has died instead of waiting out the timeout.
     */
    public void awaitUp(Duration timeout, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("the service stopped before its HTTP API answered");
            }
            try {
                if (get(STATUS).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service's HTTP API did not answer within " + timeout);
    }

    private HttpRequest.Builder request(String path) {
        // training runs synchronously and can take a while on a loaded 2-core machine
        return HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).timeout(Duration.ofMinutes(5));
    }
}
