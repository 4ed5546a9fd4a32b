package io.github.plantwatch.anomaly.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Camel's CLI as an operator starts it from the repository root: {@code bin/camel <arguments>} in a child process
 * (bin/camel execs the JVM, so this process is Camel itself), its output in a log file that failures quote.
 */
public final class CamelCliProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOG_LINES_IN_FAILURES = 60;

    private final Process process;
    private final Path log;

    private CamelCliProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param environment added to this JVM's environment; a {@code null} value removes the variable, so what the
     *                    developer's shell holds cannot change what the test runs
     */
    public static CamelCliProcess start(Path repository, List<String> arguments, Map<String, String> environment,
                                        Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(repository.resolve("bin/camel").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // the JDK running the tests (25), not whatever java the PATH finds first
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        ChildJvm.setEnvironment(builder, environment);
        return new CamelCliProcess(builder.start(), log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * What the CLI's connector publishes about this Camel (the data behind {@code camel get}): the runtime, the
     * context (with its Camel version) and every route with the file it was loaded from. Empty until written.
     */
    public Optional<JsonNode> cliStatus() throws IOException {
        Path status = Path.of(System.getProperty("user.home"), ".camel", process.pid() + "-status.json");
        try {
            return Optional.of(JSON.readTree(Files.readString(status)));
        } catch (java.nio.file.NoSuchFileException | com.fasterxml.jackson.core.JsonProcessingException notYet) {
            // not written yet, or caught half written
            return Optional.empty();
        }
    }

    /** {@code what}, then whether the CLI still runs and the end of its log: the message of a failed check. */
    public String explain(String what) {
        StringBuilder message = new StringBuilder(what).append("\n--- bin/camel ")
                .append(process.isAlive() ? "is running" : "exited with " + process.exitValue())
                .append("; last lines of ").append(log).append(" ---\n");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_FAILURES), lines.size())
                    .forEach(line -> message.append(line).append('\n'));
        } catch (IOException e) {
            message.append("(log unreadable: ").append(e).append(")\n");
        }
        return message.toString();
    }

    /** SIGTERM (Camel shuts down gracefully), then SIGKILL if it has not exited within the timeout. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(60));
        }
    }
}
