package io.github.plantwatch.anomaly.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Java main class started in its own JVM with this test's class path, its output in a log file. A test can then do
 * to it what it cannot do to code in its own JVM: SIGKILL it, SIGTERM it, start it again on the same port.
 */
public final class ChildJvm {

    /** The service's JVM options, as every launch of it passes them: the argument file bin/jvm.options. */
    public static final List<String> SERVICE_FLAGS = List.of("@" + Path.of("bin", "jvm.options").toAbsolutePath());
    private static final Path LOG_DIR = Path.of("target", "child-jvm-logs");

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param log         where its output goes (appended)
     * @param environment added to this JVM's environment; a null value removes the variable, so a setting of the
     *                    developer's shell (e.g. KAFKA_BOOTSTRAP_SERVERS) cannot leak into a test
     */
    public static ChildJvm start(Path log, List<String> jvmFlags, String mainClass, List<String> args,
                                 Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        if (!jvmFlags.contains("-cp")) { // a class path among the flags (e.g. the shaded jar) replaces this JVM's
            command.add("-cp");
            command.add(classPath());
        }
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        setEnvironment(builder, environment);
        return new ChildJvm(builder.start(), log);
    }

    /** Adds {@code environment} to what the child inherits; a null value removes that variable. */
    public static void setEnvironment(ProcessBuilder builder, Map<String, String> environment) {
        environment.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
    }

    /**
     * This JVM's class path without empty entries: surefire's ends with one, which a JVM reads as the working
     * directory, and the project's routes/ folder would then be found twice on the class path.
     */
    private static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** A new log file under target/; a process started again on the same file appends to it. */
    public static Path newLogFile(String name) throws IOException {
        Files.createDirectories(LOG_DIR);
        return LOG_DIR.resolve(name + "-" + System.currentTimeMillis() + ".log");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then waits for the process to exit by itself; returns its exit code. */
    public int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(log + ": did not exit within " + timeoutSeconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    /** Waits for a process that exits by itself (e.g. a command-line tool); returns its exit code. */
    public int awaitExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(log + ": still running after " + timeoutSeconds + " s");
        }
        return process.exitValue();
    }

    public Path logFile() {
        return log;
    }
}
