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
 * token (read from a file), one without (loopback only). Status stays open in both.
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
        assertThrows(IllegalStateException.class, () -> TrainingAccess.configure("short", ""));
        assertThrows(IllegalStateException.class, () -> TrainingAccess.configure(TOKEN, "/run/secrets/token"));
        Path empty = Files.writeString(directory.resolve("empty-token"), "\n");
        assertThrows(IllegalStateException.class, () -> TrainingAccess.configure("", empty.toString()));
        assertTrue(TrainingAccess.configure(" ", "") != null, "blank means not configured: loopback only");
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("error").asText();
    }
}
