package io.github.plantwatch.anomaly.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A docker compose file's services: environment, published ports, volumes, image, build. */
final class ComposeFile {

    private final JsonNode services;

    private ComposeFile(JsonNode services) {
        this.services = services;
    }

    static ComposeFile read(Path file) throws IOException {
        return new ComposeFile(new YAMLMapper().readTree(file.toFile()).path("services"));
    }

    List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The service built from {@code dockerfile} (the path compose is given, relative to the build context). */
    String serviceBuiltFrom(String dockerfile) {
        for (String name : serviceNames()) {
            if (dockerfile.equals(services.path(name).path("build").path("dockerfile").asText())) {
                return name;
            }
        }
        throw new AssertionError("no service of the compose file is built from " + dockerfile);
    }

    JsonNode service(String name) {
        return services.path(name);
    }

    /** The service's environment, written as a mapping or as a list of NAME=value. */
    Map<String, String> environment(String name) {
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode node = service(name).path("environment");
        if (node.isArray()) {
            node.forEach(entry -> {
                String[] pair = entry.asText().split("=", 2);
                environment.put(pair[0], pair.length > 1 ? pair[1] : "");
            });
        } else {
            node.fields().forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        }
        return environment;
    }

    /** The container side of each published port ("8084:8084", "127.0.0.1:8084:8084/tcp" or the long form). */
    List<Integer> containerPorts(String name) {
        List<Integer> ports = new ArrayList<>();
        for (JsonNode port : service(name).path("ports")) {
            String target = port.isObject() ? port.path("target").asText() : port.asText();
            String[] parts = target.split(":");
            ports.add(Integer.parseInt(parts[parts.length - 1].replace("/tcp", "")));
        }
        return ports;
    }

    /** The container side of each volume ("models:/app/models" or the long form). */
    List<String> volumeTargets(String name) {
        List<String> targets = new ArrayList<>();
        for (JsonNode volume : service(name).path("volumes")) {
            targets.add(volume.isObject() ? volume.path("target").asText() : volume.asText().split(":")[1]);
        }
        return targets;
    }
}
