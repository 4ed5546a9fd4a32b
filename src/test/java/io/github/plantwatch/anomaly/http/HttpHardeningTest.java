package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.observe.ResultFeed;
import io.github.plantwatch.anomaly.support.NetworkAddress;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over real HTTP: the page's security headers (CSP by hash, nosniff, no referrer) and the API's nosniff; the live
 * feed's subscriber cap and the disconnection of a reader that does not read; the management server on loopback
 * with short health answers by default.
 */
class HttpHardeningTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SUBSCRIBERS = 2;

    @TempDir
    static Path directory;
    private static TestKafka kafka;
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        service = RunningService.start(kafka.bootstrapServers(), RunningService.Topics.unique("hardening"),
                directory.resolve("models"), Map.of("status-page.feed-max-subscribers", String.valueOf(MAX_SUBSCRIBERS),
                        "status-page.feed-period-ms", "20"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        kafka.close();
    }

    @Test
    void thePageIsServedWithAContentSecurityPolicyAllowingOnlyItsOwnBlocks() throws Exception {
        HttpResponse<String> page = service.get("/");
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertEquals("default-src 'none'; script-src 'sha256-" + sha256(block(page.body(), "script"))
                + "'; style-src 'sha256-" + sha256(block(page.body(), "style")) + "'; img-src data:; "
                + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElseThrow());
        for (String path : List.of(ServiceApi.STATUS, "/api/v1/assets", "/api/v1/anomalies/episodes?limit=0",
                "/api/v1/anomalies/jobs/nope")) {
            HttpResponse<String> answer = service.get(path);
            assertTrue(answer.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"), path);
            assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""), path);
        }
    }

    @Test
    void theLiveFeedTakesAtMostItsCapOfSubscribers() throws Exception {
        ResultFeed feed = feed();
        List<Socket> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_SUBSCRIBERS; i++) {
                subscribers.add(subscribe());
                assertTrue(statusLine(subscribers.getLast()).endsWith(" 200 OK"));
            }
            HttpResponse<String> refused = service.get(EventStreamEndpoint.PATH);
            assertEquals(503, refused.statusCode());
            assertEquals("the live feed already has 2 subscribers (status-page.feed-max-subscribers); try again later",
                    JSON.readTree(refused.body()).get("error").asText());
            assertEquals("30", refused.headers().firstValue("Retry-After").orElseThrow());
            subscribers.removeFirst().close();
            await(() -> feed.subscriberCount() == MAX_SUBSCRIBERS - 1, "a closed subscriber leaves");
            subscribers.add(subscribe());
            assertTrue(statusLine(subscribers.getLast()).endsWith(" 200 OK"), "its place is free again");
        } finally {
            for (Socket socket : subscribers) {
                socket.close();
            }
        }
        await(() -> feed.subscriberCount() == 0, "every subscriber gone");
    }

    @Test
    void aSubscriberThatDoesNotReadIsDisconnected() throws Exception {
        ResultFeed feed = feed();
        await(() -> feed.subscriberCount() == 0, "no subscriber left by another test");
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.util.stream.Stream<String>> reader = client.send(HttpRequest.newBuilder(
                URI.create(service.baseUrl() + EventStreamEndpoint.PATH)).build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> read = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread.ofPlatform().daemon().start(() -> reader.body().forEach(read::add));
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", service.api().port()));
            stalled.getOutputStream().write(("GET " + EventStreamEndpoint.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + service.api().port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            await(() -> feed.subscriberCount() == 2, "both subscribed");
            // about 100 kB an event (50 assets of 2 kB), one every 20 ms, while the stalled client reads nothing
            Thread publisher = Thread.ofPlatform().daemon().start(() -> {
                String padding = "x".repeat(2_000);
                while (!Thread.currentThread().isInterrupted()) {
                    List<AnomalyResult> batch = new ArrayList<>();
                    for (int asset = 0; asset < 50; asset++) {
                        batch.add(result("ASSET-" + asset, padding));
                    }
                    feed.publish(batch);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                await(() -> feed.subscriberCount() == 1, "the stalled subscriber is dropped");
                int before = read.size();
                await(() -> read.size() > before + 4, "the reading subscriber still gets events");
            } finally {
                publisher.interrupt();
            }
            // what the server had sent before it closed the connection is still there to read, then the end
            stalled.setSoTimeout(30_000);
            InputStream in = stalled.getInputStream();
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                total += n;
            }
            assertTrue(total < 64L << 20, "the server buffered no more than a write queue and the socket's: " + total);
        } finally {
            reader.body().close();
        }
        await(() -> feed.subscriberCount() == 0, "every subscriber gone");
    }

    @Test
    void theManagementServerListensOnLoopbackAndAnswersHealthShortly() throws Exception {
        HttpResponse<String> health = service.management("/observe/health");
        assertTrue(health.statusCode() == 200 || health.statusCode() == 503, health.body());
        assertFalse(health.body().contains(directory.toAbsolutePath().toString()), health.body());
        assertFalse(health.body().contains("\"data\""), health.body());
        HttpResponse<String> ready = service.management("/observe/health/ready");
        assertEquals(503, ready.statusCode(), "not ready without models");
        assertTrue(ready.body().contains("no model trained yet"), "a check that is down says why: " + ready.body());
        for (String raise : List.of("?exposureLevel=full", "?data=true", "?stackTrace=true&exposureLevel=full")) {
            HttpResponse<String> raised = service.management("/observe/health" + raise);
            assertEquals(400, raised.statusCode(), raise + ": " + raised.body());
            assertFalse(raised.body().contains(directory.toAbsolutePath().toString()), raised.body());
            assertEquals(400, service.management("/observe/health/live" + raise).statusCode(), raise);
        }
        int managementPort = URI.create(health.uri().toString()).getPort();
        String network = NetworkAddress.nonLoopback();
        try (Socket socket = new Socket()) {
            assertThrows(ConnectException.class, () -> socket.connect(new InetSocketAddress(network, managementPort),
                    5000), "the management server is not reachable from the network");
        }
    }

    private static ResultFeed feed() {
        return service.camelContext().hasService(ResultFeed.class);
    }

    private static Socket subscribe() throws IOException {
        Socket socket = new Socket("127.0.0.1", service.api().port());
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET " + EventStreamEndpoint.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + service.api().port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static String statusLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    private static AnomalyResult result(String asset, String padding) {
        return new AnomalyResult(asset, "VIB-1", "2026-01-01T00:00:00Z", List.of(), 0.1, false, Criticality.LOW,
                Map.of("rms", 1.0), new TextNode(padding), 1, "global", List.of(), null, false, null);
    }

    private static String block(String page, String tag) {
        Matcher matcher = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(page);
        assertTrue(matcher.find(), tag);
        return matcher.group(1);
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
