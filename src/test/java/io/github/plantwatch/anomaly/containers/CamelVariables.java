package io.github.plantwatch.anomaly.containers;

import org.apache.camel.main.HealthConfigurationProperties;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MetricsConfigurationProperties;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Camel Main's own variables, {@code CAMEL_<GROUP>_<OPTION>}: Camel lower-cases the name and turns every
 * {@code _} into a dot, so {@code CAMEL_MAIN_ROUTESINCLUDEPATTERN} sets {@code camel.main.routesIncludePattern}
 * and an option name must be written without separators. Names ending in {@code _PORT} (or holding
 * {@code _PORT_}, or ending in {@code _SERVICE_HOST}) are skipped, being Kubernetes' own.
 */
final class CamelVariables {

    /** The groups this service configures, by the class that holds their options. */
    private static final Map<String, Class<?>> GROUPS = Map.of(
            "CAMEL_MAIN_", MainConfigurationProperties.class,
            "CAMEL_SERVER_", HttpServerConfigurationProperties.class,
            "CAMEL_MANAGEMENT_", HttpManagementServerConfigurationProperties.class,
            "CAMEL_HEALTH_", HealthConfigurationProperties.class,
            "CAMEL_METRICS_", MetricsConfigurationProperties.class);

    private CamelVariables() {
    }

    /** Why Camel would not apply this variable, or empty when it is a real option. */
    static Optional<String> problemWith(String name) {
        if (name.endsWith("_PORT") || name.contains("_PORT_") || name.endsWith("_SERVICE_HOST")) {
            return Optional.of(name + ": Camel skips variables named like Kubernetes' service variables (*_PORT)");
        }
        for (Map.Entry<String, Class<?>> group : GROUPS.entrySet()) {
            if (name.startsWith(group.getKey())) {
                String option = name.substring(group.getKey().length());
                boolean exists = Arrays.stream(group.getValue().getMethods()).anyMatch(method ->
                        method.getParameterCount() == 1 && method.getName().equalsIgnoreCase("set" + option));
                return exists ? Optional.empty() : Optional.of(name + ": " + group.getValue().getSimpleName()
                        + " has no option " + option + " (write the option name without separators)");
            }
        }
        return Optional.of(name + ": not a Camel group this service configures " + GROUPS.keySet());
    }
}
