package io.github.plantwatch.anomaly.routes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line where each value of a YAML document is written: the line of its key in a mapping, of its dash in a
 * list. A parsed tree forgets where its nodes came from, so the schema's findings are mapped back through this.
 */
final class YamlLines {

    private static final YAMLFactory YAML = new YAMLFactory();

    /** Path (mapping keys as strings, list positions as integers) to 1-based line. */
    private final Map<List<Object>, Integer> lines = new HashMap<>();

    private YamlLines() {
    }

    static YamlLines of(String yaml) throws IOException {
        YamlLines index = new YamlLines();
        try (JsonParser parser = YAML.createParser(yaml)) {
            if (parser.nextToken() != null) {
                index.lines.put(List.of(), parser.currentTokenLocation().getLineNr());
                index.read(parser, List.of());
            }
        }
        return index;
    }

    /** The line of the value at {@code path}, or of its closest ancestor that exists (e.g. for a missing key). */
    int lineOf(List<Object> path) {
        for (int length = path.size(); length >= 0; length--) {
            Integer line = lines.get(path.subList(0, length));
            if (line != null) {
                return line;
            }
        }
        return 1;
    }

    private void read(JsonParser parser, List<Object> path) throws IOException {
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                List<Object> child = child(path, parser.currentName());
                lines.put(child, parser.currentTokenLocation().getLineNr());
                parser.nextToken();
                read(parser, child);
            }
        } else if (parser.currentToken() == JsonToken.START_ARRAY) {
            for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
                List<Object> child = child(path, index);
                lines.put(child, parser.currentTokenLocation().getLineNr());
                read(parser, child);
            }
        }
    }

    private static List<Object> child(List<Object> path, Object element) {
        List<Object> child = new ArrayList<>(path);
        child.add(element);
        return List.copyOf(child);
    }
}
