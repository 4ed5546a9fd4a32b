package io.github.plantwatch.anomaly.stream;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.StartupListener;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks, as the service starts, that the streaming route (routes/anomaly-detection.camel.yaml, which operators edit)
 * still keeps what at-least-once delivery rests on, and refuses to start with a message naming each one it lost:
 * the consumer commits manually ({@code allowManualCommit}, auto-commit off), a failed batch is read again
 * ({@code breakOnFirstError}, {@code pollOnError: RECONNECT}), every Kafka producer step waits for its
 * acknowledgements ({@code synchronous}), and the offset committer is the route's last step, once; and that the
 * worst case of a batch under the configured timeouts fits in {@code max.poll.interval.ms} ({@link BatchTimeBudget}).
 * Steps added in between (filters, diversions, enrichments) are the operator's to add.
 */
public final class DeliveryInvariants implements StartupListener {

    private final String routeId;
    private final String committer;
    private final long retryWaitMs;

    /**
     * @param committer   the bean name of the offset-committing processor ({@code process: ref: ...})
     * @param retryWaitMs the longest wait after a failed batch before the next poll ({@link FailedBatchBackoff})
     */
    public DeliveryInvariants(String routeId, String committer, long retryWaitMs) {
        this.routeId = routeId;
        this.committer = committer;
        this.retryWaitMs = retryWaitMs;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        RouteDefinition route = context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinition(routeId);
        if (route == null) {
            throw new IllegalStateException("no route with id '" + routeId + "': the streaming route must keep its id");
        }
        List<String> problems = problems(route);
        if (problems.isEmpty()) {
            String overBudget = budget(context, route, retryWaitMs).problem();
            if (overBudget != null) {
                problems.add(overBudget);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("route '" + routeId + "' loses at-least-once delivery: "
                    + String.join("; ", problems) + " (README \"Editing the streaming route\")");
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // checked in onCamelContextStarting, before the route may start
    }

    /** What the route lost, in words; empty when it keeps every invariant. */
    public List<String> problems(RouteDefinition route) {
        List<String> problems = new ArrayList<>();
        FromDefinition from = route.getInput();
        String consumer = from == null ? "" : from.getEndpointUri();
        if (!consumer.startsWith("kafka:")) {
            problems.add("it must consume from a kafka: endpoint");
        }
        require(problems, consumer, "allowManualCommit", "true", "offsets are committed by the route");
        require(problems, consumer, "breakOnFirstError", "true", "a failed batch is read again");
        require(problems, consumer, "pollOnError", "RECONNECT", "a failed poll resumes from the committed offsets");
        if (!parameter(consumer, "autoCommitEnable").map(v -> v.equals("false")
                || v.equals("{{kafka.enable-auto-commit}}")).orElse(false)) {
            problems.add("autoCommitEnable must be false (or {{kafka.enable-auto-commit}}): Kafka must not commit "
                    + "records whose results are not published");
        }
        List<ProcessorDefinition<?>> steps = route.getOutputs();
        int committers = 0;
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof ToDefinition to && to.getEndpointUri().startsWith("kafka:")
                    && !parameter(to.getEndpointUri(), "synchronous").map("true"::equals).orElse(false)) {
                problems.add("the step to " + to.getEndpointUri().split("\\?")[0] + " must be synchronous: true (the "
                        + "commit must wait for its acknowledgements)");
            }
            if (isCommitter(step)) {
                committers++;
            }
        }
        if (committers != 1 || steps.isEmpty() || !isCommitter(steps.getLast())) {
            problems.add("the last step must be 'process: ref: " + committer + "', once (found " + committers + ")");
        }
        return problems;
    }

    /** The route's worst batch under its endpoints' timeouts (component settings, or the endpoints' own). */
    public static BatchTimeBudget budget(CamelContext context, RouteDefinition route, long retryWaitMs) {
        List<BatchTimeBudget.ProducerStep> producers = producerSteps(context, route).stream()
                .map(producer -> new BatchTimeBudget.ProducerStep(producer.getTopic(), producer.getMaxBlockMs(),
                        producer.getDeliveryTimeoutMs()))
                .toList();
        KafkaConfiguration consumer = context.getEndpoint(route.getInput().getEndpointUri(), KafkaEndpoint.class)
                .getConfiguration();
        return new BatchTimeBudget(producers, consumer.getMaxPollIntervalMs(), consumer.getCommitTimeoutMs(),
                retryWaitMs);
    }

    /** The configuration (topic, timeouts) of every Kafka producer step of the route, in route order. */
    public static List<KafkaConfiguration> producerSteps(CamelContext context, RouteDefinition route) {
        List<KafkaConfiguration> producers = new ArrayList<>();
        for (ProcessorDefinition<?> step : route.getOutputs()) {
            if (step instanceof ToDefinition to && to.getEndpointUri().startsWith("kafka:")) {
                producers.add(context.getEndpoint(to.getEndpointUri(), KafkaEndpoint.class).getConfiguration());
            }
        }
        return producers;
    }

    private boolean isCommitter(ProcessorDefinition<?> step) {
        return step instanceof ProcessDefinition process && committer.equals(process.getRef());
    }

    private static void require(List<String> problems, String uri, String name, String value, String why) {
        if (!parameter(uri, name).map(value::equals).orElse(false)) {
            problems.add(name + " must be " + value + " (" + why + ")");
        }
    }

    /** A parameter of an endpoint URI, as written (placeholders unresolved). */
    private static java.util.Optional<String> parameter(String uri, String name) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return java.util.Optional.empty();
        }
        for (String pair : uri.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return java.util.Optional.of(pair.substring(equals + 1).toLowerCase(Locale.ROOT).equals("true")
                        ? "true" : pair.substring(equals + 1));
            }
        }
        return java.util.Optional.empty();
    }
}
