package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.plantwatch.anomaly.contract.ApiError;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import io.github.plantwatch.anomaly.observe.ResultFeed;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /api/v1/anomalies/events}: the live feed as server-sent events. Registered straight on the
 * platform-http Vert.x router, since a Camel exchange answers once and an event stream never ends.
 * <p>
 * At most {@link ResultFeed#maxSubscribers()} connections at once: beyond, 503 with the reason. A subscriber that
 * does not keep up (its connection's write queue, {@value #WRITE_QUEUE_BYTES} bytes, is still full when the next
 * event comes) is disconnected: the server never buffers more than that per subscriber. A browser's
 * {@code EventSource} reconnects by itself.
 */
public final class EventStreamEndpoint implements StartupListener {

    public static final String PATH = "/api/v1/anomalies/events";
    /** What the server may hold for one subscriber beyond its socket's buffers: a few events. */
    static final int WRITE_QUEUE_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamEndpoint.class);

    private final ResultFeed feed;
    private final int port;
    private final Buffer full;

    public EventStreamEndpoint(ResultFeed feed, int port) throws JsonProcessingException {
        this.feed = feed;
        this.port = port;
        this.full = Buffer.buffer(JsonCodec.mapper().writeValueAsBytes(new ApiError(503, "the live feed already has "
                + feed.maxSubscribers() + " subscribers (status-page.feed-max-subscribers); try again later")));
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the HTTP server's router exists once the context has fully started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("no platform-http router on port " + port);
        }
        router.get(PATH).handler(routing -> {
            HttpServerResponse response = routing.response();
            AtomicReference<Runnable> subscription = new AtomicReference<>();
            Context connection = routing.vertx().getOrCreateContext(); // the request's: its writes stay in order
            Runnable unsubscribe = feed.subscribe(event -> connection.runOnContext(ignored -> {
                if (response.closed()) {
                    return;
                }
                if (response.writeQueueFull()) {
                    LOG.info("Live feed subscriber {} dropped: it does not read its events as fast as they come",
                            routing.request().remoteAddress());
                    subscription.get().run();
                    response.close();
                    return;
                }
                response.write("data: " + event + "\n\n");
            }));
            if (unsubscribe == null) {
                LOG.warn("Live feed subscriber {} refused: {} already subscribed", routing.request().remoteAddress(),
                        feed.maxSubscribers());
                response.setStatusCode(503).putHeader("Content-Type", "application/json")
                        .putHeader(JsonResponse.NOSNIFF_HEADER, "nosniff").putHeader("Retry-After", "30").end(full);
                return;
            }
            subscription.set(unsubscribe);
            response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
            response.setChunked(true)
                    .putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader(JsonResponse.NOSNIFF_HEADER, "nosniff")
                    .putHeader("X-Accel-Buffering", "no");
            response.closeHandler(ignored -> unsubscribe.run());
            response.write(": connected\n\n");
        });
    }
}
