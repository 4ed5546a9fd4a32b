package io.github.plantwatch.anomaly.routes;

import io.github.plantwatch.anomaly.stream.DeliveryInvariants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import io.github.plantwatch.anomaly.stream.BatchTimeBudget;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped streaming route keeps every at-least-once invariant, and each edit that loses one is refused with
 * the invariant named (the service runs the same check at start). The route is loaded by Camel's own YAML DSL.
 */
class DeliveryInvariantsTest {

    private static final Path ROUTE = Path.of("routes", "anomaly-detection.camel.yaml");
    private final DeliveryInvariants invariants = new DeliveryInvariants("anomaly-detection", "offsetCommitter",
            60_000);

    @Test
    void theShippedRouteKeepsEveryInvariant() throws Exception {
        assertEquals(List.of(), invariants.problems(load(Files.readString(ROUTE))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "manual commit dropped|        allowManualCommit: true\\n||allowManualCommit must be true",
            "break on first error off|        breakOnFirstError: true|        breakOnFirstError: false|"
                    + "breakOnFirstError must be true",
            "poll error default|        pollOnError: RECONNECT|        pollOnError: ERROR_HANDLER|"
                    + "pollOnError must be RECONNECT",
            "auto-commit on|        autoCommitEnable: \"{{kafka.enable-auto-commit}}\"|        autoCommitEnable: true|"
                    + "autoCommitEnable must be false",
            "asynchronous producer|              synchronous: true\\n||must be synchronous: true",
            "committer dropped|- process:\\n            ref: offsetCommitter\\n||the last step must be",
    })
    void anEditThatLosesAnInvariantIsRefusedNamingIt(String edit, String original, String replacement,
                                                     String problem, @TempDir Path dir) throws Exception {
        // CsvSource trims the values: the edit applies to whole lines, their indentation kept
        String route = Files.readString(ROUTE);
        String from = original.replace("\\n", "\n");
        assertTrue(route.contains(from), "the route no longer contains '" + from + "': update this test");
        String edited = replacement == null
                ? route.replaceFirst("(?m)^ *" + java.util.regex.Pattern.quote(from), "")
                : route.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(
                        replacement));
        List<String> problems = invariants.problems(load(edited));
        assertTrue(problems.stream().anyMatch(p -> p.contains(problem)), edit + ": " + problems);
    }

    @Test
    void aStepAddedAfterTheCommitterIsRefused() throws Exception {
        String route = Files.readString(ROUTE) + "        - log:\n            message: \"after the commit\"\n";
        assertTrue(invariants.problems(load(route)).stream().anyMatch(p -> p.contains("the last step must be")));
    }

    @Test
    void theShippedTimeoutsFitABatchInThePollInterval() {
        BatchTimeBudget.ProducerStep step = new BatchTimeBudget.ProducerStep("t", 15_000, 60_000);
        BatchTimeBudget shipped = new BatchTimeBudget(List.of(step, step, step, step), 600_000, 5_000L, 60_000);
        assertEquals(395_000, shipped.worstCaseMs());
        assertEquals(null, shipped.problem());
        BatchTimeBudget kafkaDefaults = new BatchTimeBudget(List.of(new BatchTimeBudget.ProducerStep("t", null, null)),
                null, null, 0);
        assertEquals(180_000 + 5_000 + 30_000, kafkaDefaults.worstCaseMs());
    }

    @Test
    void aServiceWhoseTimeoutsDoNotFitRefusesToStartNamingTheSettings(@TempDir Path dir) {
        Main main = new Main();
        main.addOverrideProperty("kafka.bootstrap-servers", "127.0.0.1:9"); // never reached: the check comes first
        main.addOverrideProperty("kafka.create-topics", "false");
        main.addOverrideProperty("models.directory", dir.toString());
        main.addOverrideProperty("camel.server.port", "0");
        main.addOverrideProperty("camel.management.port", "0");
        main.addOverrideProperty("camel.component.kafka.delivery-timeout-ms", "180000");
        try {
            Exception refused = assertThrows(Exception.class, main::start);
            String message = java.util.stream.Stream.iterate((Throwable) refused, java.util.Objects::nonNull,
                    Throwable::getCause).map(Throwable::getMessage).filter(java.util.Objects::nonNull)
                    .filter(m -> m.contains("KAFKA_MAX_POLL_INTERVAL_MS")).findFirst().orElse(refused.toString());
            assertTrue(message.contains("a batch may take up to 875 s") && message.contains("KAFKA_DELIVERY_TIMEOUT_MS"),
                    message);
        } finally {
            main.stop();
        }
    }

    private static RouteDefinition load(String yaml) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("route.camel.yaml", yaml));
            return context.getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteDefinition("anomaly-detection");
        }
    }
}
