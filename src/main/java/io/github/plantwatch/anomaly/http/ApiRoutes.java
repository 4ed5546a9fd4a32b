package io.github.plantwatch.anomaly.http;

import org.apache.camel.builder.RouteBuilder;

/**
 * The HTTP API on platform-http (port {@code camel.server.port}, 8084 by default) and the status page at
 * {@code /}; its live feed ({@code /api/v1/anomalies/events}) is {@link EventStreamEndpoint}. What changes the
 * service's judgement (training, rollback, feedback, maintenance windows) passes {@link TrainingAccess} first; what
 * only reads is open to all.
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

        from("platform-http:/api/v1/assets/{asset_id}/scores?httpMethodRestrict=GET")
                .routeId("api-asset-scores")
                .bean("apiHandlers", "scores");

        from("platform-http:/api/v1/anomalies/feedback?httpMethodRestrict=POST")
                .routeId("api-feedback")
                .process("trainingAccess")
                .bean("operatorApi", "giveFeedback");

        from("platform-http:/api/v1/anomalies/feedback?httpMethodRestrict=GET")
                .routeId("api-feedback-list")
                .bean("operatorApi", "listFeedback");

        from("platform-http:/api/v1/assets/{asset_id}/maintenance?httpMethodRestrict=POST")
                .routeId("api-maintenance-start")
                .process("trainingAccess")
                .bean("operatorApi", "startMaintenance");

        from("platform-http:/api/v1/assets/{asset_id}/maintenance?httpMethodRestrict=DELETE")
                .routeId("api-maintenance-end")
                .process("trainingAccess")
                .bean("operatorApi", "endMaintenance");

        from("platform-http:/api/v1/assets/{asset_id}/maintenance?httpMethodRestrict=GET")
                .routeId("api-maintenance-list")
                .bean("operatorApi", "listMaintenance");

        from("platform-http:/api/v1/anomalies/status?httpMethodRestrict=GET")
                .routeId("api-status")
                .bean("apiHandlers", "status");

        from("platform-http:/?httpMethodRestrict=GET")
                .routeId("status-page")
                .bean("apiHandlers", "statusPage");
    }
}
