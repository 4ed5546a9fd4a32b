package io.github.plantwatch.anomaly.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.util.List;

/**
 * Camel's health handler lets the caller raise the exposure level ({@code ?exposureLevel=full}, {@code ?data=true},
 * {@code ?stackTrace=true}); unless the configured level is {@code full}, the management server refuses such a
 * request (400), so its answers never say more than {@code camel.health.exposureLevel} allows.
 */
public final class HealthExposureGuard implements StartupListener {

    private static final List<String> RAISING = List.of("exposureLevel", "data", "stackTrace");

    private final int managementPort;
    private final String level;

    public HealthExposureGuard(int managementPort, String level) {
        this.managementPort = managementPort;
        this.level = level;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the management server's router exists once the context has fully started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        if ("full".equals(level)) {
            return;
        }
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(managementPort));
        if (router == null) {
            return; // no management server
        }
        router.route().order(-1).handler(routing -> {
            if (RAISING.stream().anyMatch(name -> routing.request().getParam(name) != null)) {
                routing.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .end("{\"status\":400,\"error\":\"health details are limited to exposure level " + level
                                + " (HEALTH_EXPOSURE_LEVEL); exposureLevel, data and stackTrace cannot raise it\"}");
            } else {
                routing.next();
            }
        });
    }
}
