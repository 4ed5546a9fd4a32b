package io.github.plantwatch.anomaly;

import io.github.plantwatch.anomaly.support.ChildJvm;
import io.github.plantwatch.anomaly.support.FreePorts;
import io.github.plantwatch.anomaly.support.ServiceApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the container image does at build and at start (docker/Dockerfile): the jar's {@code aot-training} command
 * records a JDK AOT cache, and the service starts with it. {@code -XX:AOTMode=on} makes the JVM refuse to start if
 * the cache cannot be used, so a cache that does not fit the jar fails this test. Needs the shaded jar of the
 * package phase, hence an integration test.
 */
class AotCacheIT {

    private static final String JAR = Path.of("target", "anomaly-detection-service.jar").toString();
    private static final String MAIN = "io.github.plantwatch.anomaly.Main";

    @TempDir
    Path work;

    @Test
    void aotTrainingRecordsACacheTheServiceStartsWith() throws Exception {
        Path cache = work.resolve("service.aot");
        ChildJvm training = ChildJvm.start(ChildJvm.newLogFile("aot-training"),
                flags("-XX:AOTCacheOutput=" + cache), MAIN, List.of("aot-training", "--seconds", "3"), ports());
        assertEquals(0, training.awaitExit(600), "aot-training failed; see " + training.logFile());
        String log = Files.readString(training.logFile());
        assertTrue(log.contains("AOT training workload done"), "the workload did not finish; see " + training.logFile());
        assertTrue(Files.size(cache) > 10_000_000, "no AOT cache written; see " + training.logFile());

        Map<String, String> ports = ports();
        ChildJvm service = ChildJvm.start(ChildJvm.newLogFile("aot-service"),
                flags("-XX:AOTMode=on", "-XX:AOTCache=" + cache), MAIN, List.of("--embedded-kafka"), ports);
        try {
            new ServiceApi("localhost", Integer.parseInt(ports.get("HTTP_PORT")))
                    .awaitUp(Duration.ofMinutes(2), service::isAlive);
        } finally {
            service.kill();
        }
    }

    /** The service's flags, the shaded jar as class path (an AOT cache takes jars only) and {@code extra}. */
    private static List<String> flags(String... extra) {
        List<String> flags = new ArrayList<>(ChildJvm.SERVICE_FLAGS);
        flags.addAll(List.of("-cp", JAR));
        flags.addAll(List.of(extra));
        return flags;
    }

    private static Map<String, String> ports() {
        return Map.of("HTTP_PORT", String.valueOf(FreePorts.next()),
                "MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
    }
}
