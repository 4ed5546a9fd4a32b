package io.github.plantwatch.anomaly.support;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.util.IOHelper;

import java.util.Map;

/**
 * The service's Camel context configured from application.properties as if the given environment variables were
 * set: the {@code env:} placeholder function is replaced before any placeholder is resolved. It does not connect to
 * Kafka (no models, no topic creation), so a test can look at what the configuration produced.
 */
public final class ServiceWithEnvironment implements AutoCloseable {

    private final Main main;

    private ServiceWithEnvironment(Main main) {
        this.main = main;
    }

    public static ServiceWithEnvironment start(Map<String, String> environment, Map<String, String> properties)
            throws Exception {
        Main main = new Main();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport starting) {
                starting.getCamelContext().getPropertiesComponent().addPropertiesFunction(new Env(environment));
            }
        });
        main.addOverrideProperty("camel.server.port", String.valueOf(FreePorts.next()));
        properties.forEach(main::addOverrideProperty);
        main.start();
        return new ServiceWithEnvironment(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }

    /** Camel's {@code env:NAME:default} function, reading the given variables before the real environment. */
    private record Env(Map<String, String> variables) implements PropertiesFunction {

        @Override
        public String getName() {
            return "env";
        }

        @Override
        public String apply(String remainder) {
            int colon = remainder.indexOf(':');
            String name = colon < 0 ? remainder : remainder.substring(0, colon);
            String fallback = colon < 0 ? null : remainder.substring(colon + 1);
            if (variables.containsKey(name)) {
                // a null value stands for a variable that is not set
                return variables.get(name) != null ? variables.get(name) : fallback;
            }
            String real = IOHelper.lookupEnvironmentVariable(name);
            return real != null ? real : fallback;
        }
    }
}
