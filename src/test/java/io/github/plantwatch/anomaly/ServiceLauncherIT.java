package io.github.plantwatch.anomaly;

import org.junit.jupiter.api.Test;

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
