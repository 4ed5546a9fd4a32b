package io.github.plantwatch.anomaly.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a probe's main class in a JVM of its own (a heap of 512 MiB) and returns the figure it printed. */
public final class ProbeJvm {

    private ProbeJvm() {
    }

    /** The value of the first {@code name=value} the probe printed at the start of a line. */
    public static long figure(String name, Class<?> probe, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), probe.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError(probe.getSimpleName() + " failed: " + output);
        }
        String prefix = name + "=";
        String line = output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(
                () -> new AssertionError("no " + name + " from " + probe.getSimpleName() + ": " + output));
        int end = line.indexOf(' ');
        return Long.parseLong(line.substring(prefix.length(), end < 0 ? line.length() : end));
    }
}
