package io.github.plantwatch.anomaly.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instructions of a Dockerfile's last stage, the image that runs: ENV, EXPOSE, VOLUME, HEALTHCHECK and
 * ENTRYPOINT, with line continuations joined and comments dropped.
 */
final class Dockerfile {

    final Map<String, String> environment = new LinkedHashMap<>();
    final List<Integer> exposedPorts = new ArrayList<>();
    final List<String> volumes = new ArrayList<>();
    String healthCheck = "";
    String entrypoint = "";

    private Dockerfile() {
    }

    static Dockerfile read(Path file) throws IOException {
        Dockerfile image = new Dockerfile();
        for (String instruction : instructions(Files.readAllLines(file))) {
            String[] parts = instruction.split("\\s+", 2);
            String arguments = parts.length > 1 ? parts[1] : "";
            switch (parts[0].toUpperCase()) {
                case "FROM" -> image = new Dockerfile();   // a new stage: only the last one runs
                case "ENV" -> image.environment.putAll(environment(arguments));
                case "EXPOSE" -> {
                    for (String port : arguments.split("\\s+")) {
                        image.exposedPorts.add(Integer.parseInt(port.replace("/tcp", "")));
                    }
                }
                case "VOLUME" -> image.volumes.addAll(List.of(arguments.replaceAll("[\\[\\]\",]", " ").trim()
                        .split("\\s+")));
                case "HEALTHCHECK" -> image.healthCheck = arguments;
                case "ENTRYPOINT" -> image.entrypoint = arguments;
                default -> {
                    // RUN, COPY, USER, WORKDIR...: nothing the service's configuration meets
                }
            }
        }
        return image;
    }

    private static List<String> instructions(List<String> lines) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            boolean continued = line.stripTrailing().endsWith("\\");
            String content = continued ? line.stripTrailing().substring(0, line.stripTrailing().length() - 1) : line;
            current.append(content.strip()).append(' ');
            if (!continued) {
                if (!current.toString().isBlank()) {
                    instructions.add(current.toString().strip());
                }
                current.setLength(0);
            }
        }
        return instructions;
    }

    /** {@code K=V K2="v w"} (values may be double-quoted) or the legacy {@code K value with spaces}. */
    private static Map<String, String> environment(String arguments) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (!arguments.split("\\s+")[0].contains("=")) {
            String[] legacy = arguments.split("\\s+", 2);
            variables.put(legacy[0], legacy.length > 1 ? legacy[1] : "");
            return variables;
        }
        int i = 0;
        while (i < arguments.length()) {
            int equals = arguments.indexOf('=', i);
            String name = arguments.substring(i, equals).strip();
            int end;
            String value;
            if (equals + 1 < arguments.length() && arguments.charAt(equals + 1) == '"') {
                end = arguments.indexOf('"', equals + 2);
                value = arguments.substring(equals + 2, end);
                end++;
            } else {
                end = arguments.indexOf(' ', equals);
                end = end < 0 ? arguments.length() : end;
                value = arguments.substring(equals + 1, end);
            }
            variables.put(name, value);
            i = end;
            while (i < arguments.length() && arguments.charAt(i) == ' ') {
                i++;
            }
        }
        return variables;
    }
}
