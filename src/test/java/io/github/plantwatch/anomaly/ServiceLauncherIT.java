package io.github.plantwatch.anomaly;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command on a machine whose {@code java} is not 25 and whose JAVA_HOME points elsewhere: the
 * launcher finds a JDK 25 itself (here the one running the tests, put at the end of the PATH) and runs the jar with
 * it. Real processes, the real scripts; an integration test, so that the jar it runs is the one this build made.
 */
class ServiceLauncherIT {

    private static final Path JDK = Path.of(System.getProperty("java.home"));

    @Test
    void findsAJdk25WhateverJavaHomeAndThePathSayFirst() throws Exception {
        Path wrongHome = Files.createTempDirectory("not-a-jdk");
        Run found = run(List.of("bin/jdk25"), Map.of("JAVA_HOME", wrongHome.toString(),
                "PATH", "/usr/bin:/bin:" + JDK.resolve("bin")));
        assertEquals(0, found.exit(), found.output());
        Path home = Path.of(found.output().strip());
        Run version = run(List.of(home.resolve("bin/java").toString(), "-version"), Map.of());
        assertTrue(version.output().contains("version \"25"), found.output() + " is not a JDK 25: " + version.output());
    }

    @Test
    void theServiceCommandRunsTheJarWithIt() throws Exception {
        Run usage = run(List.of("bin/anomaly-detection", "evaluate"), Map.of("JAVA_HOME", "/nonexistent",
                "PATH", "/usr/bin:/bin:" + JDK.resolve("bin") + ":" + System.getenv("PATH")));
        assertTrue(usage.output().contains("usage: evaluate --skab <folder>"), usage.output());
    }

    /**
     * The README's command with its embedded broker, stopped as Ctrl+C or a container runtime stops it (the JVM's
     * shutdown hooks; SIGTERM here, since a test cannot type Ctrl+C): Camel stops first, then the broker, then its
     * directory goes. The broker's directory used to be deleted while it ran, and it logged ERROR lines
     * ("all log dirs have failed") at every stop.
     */
    @Test
    void theEmbeddedBrokerStopsAfterTheServiceWithoutErrors() throws Exception {
        int httpPort = freePort();
        ProcessBuilder builder = new ProcessBuilder("bin/anomaly-detection", "--embedded-kafka")
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("HTTP_PORT", String.valueOf(httpPort),
                "MANAGEMENT_PORT", String.valueOf(freePort())));
        Process process = builder.start();
        StringBuffer output = new StringBuffer();
        Thread reader = Thread.ofPlatform().start(() -> new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(l -> output.append(l).append('\n')));
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            boolean answered = false;
            while (!answered && process.isAlive() && System.nanoTime() < deadline) {
                try {
                    answered = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                            + "/api/v1/anomalies/status")).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(500);
                }
            }
            assertTrue(answered, "the service never answered its status: " + output);
        } finally {
            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close its output
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the service did not stop: " + output);
            reader.join(10_000);
        }
        List<String> errors = output.toString().lines().filter(l -> l.contains(" ERROR ")).toList();
        assertTrue(errors.isEmpty(), "errors logged at the stop: " + errors);
        assertTrue(output.toString().contains("is shutdown"),
                "Camel did not stop in order (exit " + process.exitValue() + "): " + output);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        return new Run(process.exitValue(), output);
    }
}
