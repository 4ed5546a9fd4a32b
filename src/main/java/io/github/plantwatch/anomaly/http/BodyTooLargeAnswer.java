package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.plantwatch.anomaly.contract.ApiError;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.vertx.core.buffer.Buffer;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Vert.x refuses a body over {@code camel.server.max-body-size} before any route sees it and answers 413 with a
 * plain-text body; this gives that answer the API's JSON error shape. Registered once the HTTP server has started.
 */
public final class BodyTooLargeAnswer implements StartupListener {

    private final int port;
    private final byte[] body;

    public BodyTooLargeAnswer(int port, long maxBodyBytes) throws JsonProcessingException {
        this.port = port;
        this.body = JsonCodec.mapper().writeValueAsBytes(new ApiError(413, "request body is larger than "
                + maxBodyBytes + " bytes (HTTP_MAX_BODY_BYTES)"));
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router != null) {
            // a failure handler on the platform's sub-router: error handlers only work on the root router
            router.route().failureHandler(routing -> {
                if (routing.statusCode() == 413 && !routing.response().ended()) {
                    routing.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                            .putHeader(JsonResponse.NOSNIFF_HEADER, "nosniff")
                            .end(Buffer.buffer(body));
                } else {
                    routing.next();
                }
            });
        }
    }
}
