package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.detect.ModelRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StartupListener;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Keeps the streaming route stopped (it does not even subscribe) while no model is trained, and starts it when a
 * model set is installed, at start-up or by a training run. It then resumes from the group's committed offsets,
 * so what arrived meanwhile is scored, not lost. Also logs the worker's start and stop (seed contract).
 */
public final class PipelineGate extends LifecycleStrategySupport implements StartupListener {

    /** The id of the streaming route in routes/anomaly-detection.camel.yaml. */
    public static final String ROUTE_ID = "anomaly-detection";
    private static final Logger LOG = LoggerFactory.getLogger(PipelineGate.class);

    private final ModelRegistry registry;
    private final String inputTopic;
    private volatile CamelContext context;
    /** What must be done before the route may consume (the catch-up of the model log and the operators' logs). */
    private volatile CompletableFuture<?> prerequisite = CompletableFuture.completedFuture(null);

    public PipelineGate(ModelRegistry registry, String inputTopic) {
        this.registry = registry;
        this.inputTopic = inputTopic;
        registry.onInstall(models -> startIfReady());
    }

    /**
     * Keeps the route stopped until {@code ready} completes, as well as what it already waited for (then starts it
     * if a model set is in service).
     */
    public synchronized void waitFor(CompletableFuture<?> ready) {
        CompletableFuture<Void> all = CompletableFuture.allOf(prerequisite, ready);
        prerequisite = all;
        // on the combined future: a dependent of `ready` may run before the combination sees `ready` complete
        all.thenRun(this::startIfReady);
    }

    @Override
    public void onCamelContextStarted(CamelContext starting, boolean alreadyStarted) {
        // routes are not all started yet: wait for onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
        this.context = started;
        LOG.info("Starting anomaly detection worker...");
        if (registry.isEmpty()) {
            LOG.warn("No model is trained: not consuming from topic {} until models are trained "
                    + "(POST /api/v1/anomalies/train)", inputTopic);
        } else {
            startIfReady();
        }
    }

    /**
     * Called while the context stops, after its routes: unlike code after {@code Main.run()} returns, this runs
     * before a SIGTERM's shutdown hook lets the JVM exit, so the line is always written.
     */
    @Override
    public void onContextStopped(CamelContext stopped) {
        LOG.info("Anomaly detection worker stopped");
    }

    public boolean isConsuming() {
        CamelContext ctx = context;
        return ctx != null && ctx.getRouteController().getRouteStatus(ROUTE_ID) == ServiceStatus.Started;
    }

    private synchronized void startIfReady() {
        CamelContext ctx = context;
        if (ctx == null || !prerequisite.isDone() || registry.isEmpty() || isConsuming()) {
            return;
        }
        try {
            ctx.getRouteController().startRoute(ROUTE_ID);
            LOG.info("Subscribed to topic: {}", inputTopic);
        } catch (Exception e) {
            throw new IllegalStateException("could not start route " + ROUTE_ID, e);
        }
    }
}
