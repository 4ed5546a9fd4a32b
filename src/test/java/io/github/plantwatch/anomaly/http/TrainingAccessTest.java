package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.NetworkAddress;
import io.github.plantwatch.anomaly.support.RunningService;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.support.ServiceApi;
import io.github.plantwatch.anomaly.support.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may train, over real HTTP, from loopback and from this machine's network address: one service with a bearer
 * token (read from a file), one without (loopback only, addressed to itself: Host and Origin). Status stays open in
 * both.
 */
class TrainingAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-token-6f1d2c9a0b7e4d35";

    @TempDir
    static Path directory;
    private static TestKafka kafka;
    private static RunningService withToken;
    private static RunningService loopbackOnly;
    private static String networkAddress;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        Path tokenFile = Files.writeString(directory.resolve("token"), "  " + TOKEN + "\n");
        withToken = RunningService.start(kafka.bootstrapServers(), RunningService.Topics.unique("token"),
                directory.resolve("models-token"), Map.of("training.api.token-file", tokenFile.toString()));
        loopbackOnly = RunningService.start(kafka.bootstrapServers(), RunningService.Topics.unique("loopback"),
                directory.resolve("models-loopback"), Map.of());
        networkAddress = NetworkAddress.nonLoopback();
    }

    @AfterAll
    static void stop() throws Exception {
        withToken.close();
        loopbackOnly.close();
        kafka.close();
    }

    @Test
    void withoutATokenTrainingIsRefusedWith401AndAChallenge() throws Exception {
        HttpResponse<String> response = withToken.api().train(SensorData.quickTrainingRequest());
        assertEquals(401, response.statusCode());
        assertEquals("missing bearer token: send Authorization: Bearer <token>", error(response));
        assertEquals("Bearer realm=\"anomaly-detection\"", response.headers().firstValue("WWW-Authenticate")
                .orElseThrow());
        assertEquals(401, withToken.api().train("{}", "Authorization", "Basic " + TOKEN).statusCode(),
                "only the Bearer scheme");
    }

    @Test
    void aWrongTokenIsRefusedWith401() throws Exception {
        for (String wrong : List.of(TOKEN + "x", TOKEN.substring(1), "x", TOKEN.toUpperCase())) {
            HttpResponse<String> response = withToken.api().train("{}", "Authorization", "Bearer " + wrong);
            assertEquals(401, response.statusCode(), wrong);
            assertEquals("invalid bearer token", error(response));
            assertFalse(response.body().contains(TOKEN), "the answer does not echo the token");
        }
    }

    @Test
    void theRightTokenTrainsFromAnyAddressAndIsNotEchoed() throws Exception {
        ServiceApi remote = new ServiceApi(networkAddress, withToken.api().port());
        HttpResponse<String> response = remote.train(SensorData.quickTrainingRequest(),
                "Authorization", "Bearer " + TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        assertFalse(response.headers().map().toString().contains(TOKEN), response.headers().map().toString());
        assertEquals(400, remote.train("{}", "authorization", "bearer " + TOKEN).statusCode(),
                "scheme and header name are case-insensitive; the request then reaches validation");
    }

    @Test
    void statusStaysOpenWithoutAToken() throws Exception {
        assertEquals(200, new ServiceApi(networkAddress, withToken.api().port()).get(ServiceApi.STATUS)
                .statusCode());
        assertEquals(200, new ServiceApi(networkAddress, loopbackOnly.api().port()).get(ServiceApi.STATUS)
                .statusCode());
    }

    @Test
    void withoutAConfiguredTokenOnlyLoopbackMayTrain() throws Exception {
        assertEquals(400, loopbackOnly.api().train("{}").statusCode(), "loopback passes, then validation answers");
        HttpResponse<String> remote = new ServiceApi(networkAddress, loopbackOnly.api().port()).train("{}");
        assertEquals(403, remote.statusCode());
        assertEquals("training is accepted only from this host while no TRAINING_API_TOKEN is configured",
                error(remote));
    }

    @Test
    void aTokenThatIsTooShortOrTwiceConfiguredStopsTheStart() throws Exception {
        assertThrows(IllegalStateException.class, () -> TrainingAccess.configure("short", "", 8084));
        assertThrows(IllegalStateException.class, () -> TrainingAccess.configure(TOKEN, "/run/secrets/token", 8084));
        Path empty = Files.writeString(directory.resolve("empty-token"), "\n");
        assertThrows(IllegalStateException.class, () -> TrainingAccess.configure("", empty.toString(), 8084));
        assertTrue(TrainingAccess.configure(" ", "", 8084) != null, "blank means not configured: loopback only");
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("error").asText();
    }

    /** Every state-changing route, each with a body its handler would refuse or not find (nothing changes). */
    private static final List<String[]> GUARDED = List.of(
            new String[]{"POST", ServiceApi.TRAIN, "{}"},
            new String[]{"POST", "/api/v1/assets/NO-SUCH-ASSET/models/rollback", ""},
            new String[]{"POST", "/api/v1/anomalies/feedback", "{\"label\": \"maybe\"}"},
            new String[]{"POST", "/api/v1/assets/NO-SUCH-ASSET/maintenance", "{}"},
            new String[]{"DELETE", "/api/v1/assets/NO-SUCH-ASSET/maintenance", ""});

    @Test
    void trainingNeedsAJsonContentType() throws Exception {
        for (String type : new String[]{"text/plain", "application/x-www-form-urlencoded", "application/jsonp", null}) {
            HttpResponse<String> response = loopbackOnly.api().post(ServiceApi.TRAIN, type,
                    type != null && type.contains("form") ? "data=1" : SensorData.quickTrainingRequest());
            assertEquals(415, response.statusCode(), type + ": " + response.body());
            assertTrue(error(response).startsWith("the body must be JSON, sent with Content-Type: application/json"),
                    response.body());
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
        }
        assertEquals(400, loopbackOnly.api().post(ServiceApi.TRAIN, "application/json; charset=utf-8", "{}")
                .statusCode(), "a charset parameter is fine");
    }

    @Test
    void withoutATokenARequestFromAnotherOriginOrHostIsRefused() throws Exception {
        int port = loopbackOnly.api().port();
        for (String[] route : GUARDED) {
            String what = route[0] + " " + route[1];
            for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port,
                    "[::1]:" + port)) {
                int passes = raw(port, route[0], route[1], host, null, route[2]);
                assertTrue(passes == 400 || passes == 404, what + " to " + host + " reaches its handler: " + passes);
                assertEquals(passes, raw(port, route[0], route[1], host, "http://" + host, route[2]),
                        what + ": the service's own page may send it");
            }
            for (String host : List.of("evil.example:" + port, "127.0.0.1:" + (port + 1), "127.0.0.1",
                    "localhost.:" + port, "127.0.0.2:" + port, "192.168.1.10:" + port)) {
                assertEquals(403, raw(port, route[0], route[1], host, null, route[2]), what + " with Host " + host);
            }
            for (String origin : List.of("http://evil.example", "null", "https://127.0.0.1:" + port,
                    "http://localhost:" + port, "http://127.0.0.1:" + (port + 1), "file://")) {
                assertEquals(403, raw(port, route[0], route[1], "127.0.0.1:" + port, origin, route[2]),
                        what + " from a page of " + origin);
            }
            assertEquals(403, raw(port, route[0], route[1], null, null, route[2]), what + " without a Host");
        }
        HttpResponse<String> fromAPage = loopbackOnly.api().post(ServiceApi.TRAIN, "{}", "Origin",
                "http://evil.example");
        assertEquals(403, fromAPage.statusCode());
        assertEquals("without a TRAINING_API_TOKEN, state-changing requests are refused from web pages of another "
                + "origin (Origin http://evil.example, expected http://127.0.0.1:" + port + ")", error(fromAPage));
    }

    @Test
    void aValidTokenIsNotSubjectToTheOriginAndHostRule() throws Exception {
        int port = withToken.api().port();
        for (String[] route : GUARDED) {
            int status = raw(port, route[0], route[1], "evil.example:" + port, "http://evil.example", route[2],
                    "Authorization: Bearer " + TOKEN);
            assertTrue(status == 400 || status == 404, route[0] + " " + route[1] + ": " + status);
            assertEquals(401, raw(port, route[0], route[1], "127.0.0.1:" + port, null, route[2]));
        }
    }

    /**
     * One request over a plain socket (Java's HTTP client will not send a Host of our choosing): the answer's status.
     * {@code host} null: HTTP/1.0 without a Host header.
     */
    private static int raw(int port, String method, String path, String host, String origin, String body,
                           String... headers) throws Exception {
        byte[] content = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + path + (host == null ? " HTTP/1.0" : " HTTP/1.1")
                + "\r\n");
        if (host != null) {
            request.append("Host: ").append(host).append("\r\n");
        }
        if (origin != null) {
            request.append("Origin: ").append(origin).append("\r\n");
        }
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length)
                .append("\r\nConnection: close\r\n\r\n");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
