package io.github.plantwatch.anomaly.routes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route operators edit is checked in the build against Camel's YAML DSL schema, so a typo fails here with
 * its file and line instead of at deployment; the other tests prove a typo is reported where it is.
 */
class RouteSchemaTest {

    private static final Path ROUTES = Path.of("routes");
    private static final Path STREAMING_ROUTE = ROUTES.resolve("anomaly-detection.camel.yaml");

    private final RouteSchemaValidator validator = new RouteSchemaValidator();

    @Test
    void everyRouteFileMatchesTheCamelYamlDslSchema() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(ROUTES)) {
            files = listing.filter(file -> file.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no *.camel.yaml in " + ROUTES.toAbsolutePath());
        List<RouteProblem> problems = new ArrayList<>();
        for (Path file : files) {
            problems.addAll(validator.validate(file));
        }
        assertTrue(problems.isEmpty(), "routes that Camel's YAML DSL schema (" + RouteSchemaValidator.SCHEMA_RESOURCE
                + " of camel-yaml-dsl) rejects:\n" + problems.stream().map(RouteProblem::toString)
                .collect(Collectors.joining("\n")));
    }

    @Test
    void aMisspelledStepIsReportedOnItsLine(@TempDir Path dir) throws IOException {
        assertReportedOnTheChangedLine(dir, "        - setBody:", "        - setBdoy:", "'setBdoy' is not defined");
    }

    @Test
    void aMisspelledRouteOptionIsReportedOnItsOwnLineNotOnTheRoutes(@TempDir Path dir) throws IOException {
        assertReportedOnTheChangedLine(dir, "    autoStartup: false", "    autoStrtup: false", "'autoStrtup' is not defined");
    }

    @Test
    void aValueOfTheWrongTypeIsReportedOnItsLine(@TempDir Path dir) throws IOException {
        assertReportedOnTheChangedLine(dir, "    autoStartup: false", "    autoStartup: later", "boolean expected");
    }

    @Test
    void brokenIndentationIsReportedAsInvalidYamlWithALine(@TempDir Path dir) throws IOException {
        Path file = broken(dir, "            simple: \"${body}\"", "           simple: \"${body}\"");
        RouteProblem problem = onlyProblem(file);
        assertTrue(problem.problem().startsWith("not valid YAML"), problem.toString());
        assertTrue(problem.line() > 1, problem.toString());
        assertTrue(problem.toString().startsWith(file + ":" + problem.line() + ": "), problem.toString());
    }

    /** Changes one line of the streaming route and expects exactly one problem, on that line, saying {@code what}. */
    private void assertReportedOnTheChangedLine(Path dir, String original, String replacement, String what)
            throws IOException {
        RouteProblem problem = onlyProblem(broken(dir, original, replacement));
        assertEquals(Files.readAllLines(STREAMING_ROUTE).indexOf(original) + 1, problem.line(), problem.toString());
        assertTrue(problem.problem().contains(what), problem.toString());
    }

    /** The streaming route with its first {@code original} line replaced, written to {@code dir}. */
    private static Path broken(Path dir, String original, String replacement) throws IOException {
        String route = Files.readString(STREAMING_ROUTE);
        assertTrue(route.contains(original + "\n"), "the route no longer contains '" + original + "': update this test");
        Path file = dir.resolve(STREAMING_ROUTE.getFileName());
        Files.writeString(file, route.replaceFirst(java.util.regex.Pattern.quote(original + "\n"),
                java.util.regex.Matcher.quoteReplacement(replacement + "\n")));
        return file;
    }

    private RouteProblem onlyProblem(Path file) throws IOException {
        List<RouteProblem> problems = validator.validate(file);
        assertEquals(1, problems.size(), problems.toString());
        RouteProblem problem = problems.getFirst();
        assertEquals(file, problem.file());
        return problem;
    }
}
