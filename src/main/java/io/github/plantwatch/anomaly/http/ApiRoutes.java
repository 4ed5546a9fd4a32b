package io.github.plantwatch.anomaly.http;

import org.apache.camel.builder.RouteBuilder;

/**
 * The HTTP API on platform-http (port {@code camel.server.port}, 8084 by default) and the status page at
 * {@code /}; its live feed ({@code /api/v1/anomalies/events}) is {@link EventStreamEndpoint}. Training and rollback pass
 * {@link TrainingAccess} first; status, the page and the feed are open to all.
 */
public final class ApiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/api/v1/anomalies/train?httpMethodRestrict=POST")
                .routeId("api-train")
                .process("trainingAccess")
                .bean("apiHandlers", "train");

        from("platform-http:/api/v1/anomalies/jobs/{job_id}?httpMethodRestrict=GET")
                .routeId("api-training-job")
                .bean("apiHandlers", "job");

        from("platform-http:/api/v1/assets/{asset_id}/models/rollback?httpMethodRestrict=POST")
                .routeId("api-rollback")
                .process("trainingAccess")
                .bean("apiHandlers", "rollback");

        from("platform-http:/api/v1/anomalies/episodes?httpMethodRestrict=GET")
                .routeId("api-episodes")
                .bean("apiHandlers", "episodes");

        from("platform-http:/api/v1/assets?httpMethodRestrict=GET")
                .routeId("api-assets")
                .bean("apiHandlers", "assets");

        from("platform-http:/api/v1/anomalies/status?httpMethodRestrict=GET")
                .routeId("api-status")
                .bean("apiHandlers", "status");

        from("platform-http:/?httpMethodRestrict=GET")
                .routeId("status-page")
                .bean("apiHandlers", "statusPage");
    }
}
