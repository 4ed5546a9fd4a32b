package io.github.plantwatch.anomaly.http;

import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import io.github.plantwatch.anomaly.observe.ResultFeed;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * {@code GET /api/v1/anomalies/events}: the live feed as server-sent events. Registered straight on the
 * platform-http Vert.x router, since a Camel exchange answers once and an event stream never ends.
 */
public final class EventStreamEndpoint implements StartupListener {

    public static final String PATH = "/api/v1/anomalies/events";

    private final ResultFeed feed;
    private final int port;

    public EventStreamEndpoint(ResultFeed feed, int port) {
        this.feed = feed;
        this.port = port;
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
            response.setChunked(true)
                    .putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            response.write(": connected\n\n");
            Runnable unsubscribe = feed.subscribe(event -> routing.vertx().runOnContext(ignored -> {
                if (!response.closed()) {
                    response.write("data: " + event + "\n\n");
                }
            }));
            response.closeHandler(ignored -> unsubscribe.run());
        });
    }
}
