package io.github.plantwatch.anomaly.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks YAML route files against the JSON schema of Camel's YAML DSL, the one camel-yaml-dsl ships
 * ({@code schema/camelYamlDsl.json}, so always the schema of the Camel version the service runs), and says where
 * each problem is: file, line, what is wrong.
 */
final class RouteSchemaValidator {

    static final String SCHEMA_RESOURCE = "schema/camelYamlDsl.json";
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Schema schema;

    RouteSchemaValidator() {
        try (InputStream in = RouteSchemaValidator.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " not on the class path (it comes with camel-yaml-dsl)");
            }
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's problems in line order; empty when it is a valid Camel YAML DSL document. */
    List<RouteProblem> validate(Path file) throws IOException {
        String text = Files.readString(file);
        JsonNode document;
        YamlLines lines;
        try {
            document = YAML.readTree(text);
            lines = YamlLines.of(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            return List.of(new RouteProblem(file, line,
                    "not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ")));
        }
        return schema.validate(document).stream()
                .map(error -> new RouteProblem(file, lines.lineOf(location(error)),
                        error.getMessage() + " (at " + error.getInstanceLocation() + ")"))
                .distinct()
                .sorted(Comparator.comparingInt(RouteProblem::line))
                .toList();
    }

    /** Where the error is; for an unknown key, the key itself rather than the mapping that holds it. */
    private static List<Object> location(Error error) {
        NodePath instance = error.getInstanceLocation();
        List<Object> path = new ArrayList<>();
        for (int i = 0; i < instance.getNameCount(); i++) {
            path.add(instance.getElement(i));
        }
        if ("additionalProperties".equals(error.getKeyword()) && error.getProperty() != null) {
            path.add(error.getProperty());
        }
        return path;
    }
}
