package io.github.plantwatch.anomaly.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables the service reads: each {@code {{env:NAME:default}}} of application.properties (with
 * the property it sets and its default) and each {@code ${env:NAME:-default}} of the log4j2 configuration.
 */
final class ServiceVariables {

    private static final Pattern CAMEL_ENV = Pattern.compile("\\{\\{env:([A-Z0-9_]+)(?::([^}]*))?}}");
    private static final Pattern LOG4J_ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)(?::-([^}]*))?}");

    /** A variable and what it sets. */
    record Variable(String name, String property, String defaultValue) {
    }

    private final Map<String, Variable> byName = new LinkedHashMap<>();

    static ServiceVariables read(Path applicationProperties, Path log4jProperties) throws IOException {
        ServiceVariables variables = new ServiceVariables();
        variables.collect(applicationProperties, CAMEL_ENV);
        variables.collect(log4jProperties, LOG4J_ENV);
        return variables;
    }

    private void collect(Path file, Pattern reference) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.stripLeading().startsWith("#") || !line.contains("=")) {
                continue;
            }
            String property = line.substring(0, line.indexOf('=')).trim();
            Matcher matcher = reference.matcher(line);
            while (matcher.find()) {
                byName.put(matcher.group(1), new Variable(matcher.group(1), property,
                        matcher.group(2) == null ? "" : matcher.group(2)));
            }
        }
    }

    boolean contains(String name) {
        return byName.containsKey(name);
    }

    Variable get(String name) {
        Variable variable = byName.get(name);
        if (variable == null) {
            throw new IllegalArgumentException(name + " is not a variable of application.properties");
        }
        return variable;
    }

    /** The variable that sets {@code property}, e.g. HTTP_PORT for camel.server.port. */
    Optional<Variable> forProperty(String property) {
        return byName.values().stream().filter(variable -> variable.property().equals(property)).findFirst();
    }

    /** The variable's value in an environment: what it holds there, else its default. */
    String valueIn(Map<String, String> environment, String name) {
        return environment.getOrDefault(name, get(name).defaultValue());
    }
}
