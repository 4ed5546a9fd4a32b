package io.github.plantwatch.anomaly.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.plantwatch.anomaly.contract.Excerpt;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.detect.ModelScope;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns the body of {@code POST /train} into a {@link TrainingRequest}, or refuses it with a message that names the
 * offending field, row or value. Unknown fields are refused too, so a typo in an option is not silently ignored.
 */
public final class TrainingRequestParser {

    private static final Set<String> FIELDS = Set.of("data", "feature_names", "contamination", "models",
            "lstm_window", "lstm_epochs", "asset_id", "model_group");

    private final TrainingSettings defaults;
    private final int minimumRows;
    private final int maximumRows;
    private final int maximumFeatures;

    public TrainingRequestParser(TrainingSettings defaults, int minimumRows, int maximumRows, int maximumFeatures) {
        this.defaults = defaults;
        this.minimumRows = minimumRows;
        this.maximumRows = maximumRows;
        this.maximumFeatures = maximumFeatures;
    }

    public TrainingRequest parse(byte[] body) {
        JsonNode root = readJson(body);
        if (!root.isObject()) {
            throw new InvalidTrainingRequestException("request body must be a JSON object with data and feature_names");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidTrainingRequestException("unknown field '" + Excerpt.of(name) + "'; accepted fields: "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        List<String> featureNames = featureNames(root.get("feature_names"));
        TrainingSettings settings = settings(root);
        double[][] data = data(root.get("data"), featureNames.size(), settings.minimumRows(minimumRows));
        String group = name(root.get("model_group"), "model_group");
        List<String> assets = assetIds(root.get("asset_id"), group != null);
        if (group != null) {
            return new TrainingRequest(data, featureNames, settings, ModelScope.group(group), assets);
        }
        ModelScope scope = assets.isEmpty() ? ModelScope.GLOBAL : ModelScope.asset(assets.getFirst());
        return new TrainingRequest(data, featureNames, settings, scope, List.of());
    }

    /**
     * An optional non-blank name, or null when absent: at most {@link FeatureMessage#MAX_ID_LENGTH} characters and no
     * control characters, as every id of the API (it is logged, and names a directory of the model store).
     */
    private static String name(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidTrainingRequestException(field + " must be a non-blank string");
        }
        String name = node.asText();
        if (name.length() > FeatureMessage.MAX_ID_LENGTH) {
            throw new InvalidTrainingRequestException(field + " must be at most " + FeatureMessage.MAX_ID_LENGTH
                    + " characters, got " + name.length());
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidTrainingRequestException(field + " must not contain control characters");
        }
        return name;
    }

    /** asset_id: one id; with model_group also an array of ids (the group's members). */
    private static List<String> assetIds(JsonNode node, boolean forGroup) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            return List.of(name(node, "asset_id"));
        }
        if (!forGroup || node.isEmpty()) {
            throw new InvalidTrainingRequestException("asset_id must be a non-blank string (an array of them only "
                    + "with model_group, naming the assets the group's models serve)");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : node) {
            String asset = name(id, "asset_id[]");
            if (!ids.contains(asset)) {
                ids.add(asset);
            }
        }
        return ids;
    }

    private static JsonNode readJson(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidTrainingRequestException("request body is empty; expected a JSON object");
        }
        try {
            return JsonCodec.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new InvalidTrainingRequestException("request body is not valid JSON: " + JsonCodec.describe(e));
        } catch (IOException e) {
            throw new InvalidTrainingRequestException("request body could not be read: " + e.getMessage());
        }
    }

    private List<String> featureNames(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidTrainingRequestException("feature_names is missing");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new InvalidTrainingRequestException("feature_names must be a non-empty array of strings");
        }
        if (node.size() > maximumFeatures) {
            throw new InvalidTrainingRequestException("feature_names has " + node.size()
                    + " names; at most " + maximumFeatures + " are accepted");
        }
        List<String> names = new ArrayList<>(node.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode name = node.get(i);
            if (!name.isTextual() || name.asText().isBlank()) {
                throw new InvalidTrainingRequestException("feature_names[" + i + "] must be a non-blank string");
            }
            if (name.asText().chars().anyMatch(Character::isISOControl)) {
                throw new InvalidTrainingRequestException("feature_names[" + i + "] must not contain control "
                        + "characters");
            }
            if (!seen.add(name.asText())) {
                throw new InvalidTrainingRequestException("feature_names has a duplicate: '" + Excerpt.of(name.asText())
                        + "'");
            }
            names.add(name.asText());
        }
        return names;
    }

    private double[][] data(JsonNode node, int width, int requiredRows) {
        if (node == null || node.isNull()) {
            throw new InvalidTrainingRequestException("data is missing");
        }
        if (!node.isArray()) {
            throw new InvalidTrainingRequestException("data must be an array of rows (arrays of numbers)");
        }
        if (node.size() > maximumRows) {
            throw new InvalidTrainingRequestException(413, "data has " + node.size() + " rows; at most "
                    + maximumRows + " are accepted");
        }
        double[][] rows = new double[node.size()][];
        for (int i = 0; i < rows.length; i++) {
            JsonNode row = node.get(i);
            if (!row.isArray()) {
                throw new InvalidTrainingRequestException("data[" + i + "] must be an array of numbers");
            }
            if (row.size() != width) {
                throw new InvalidTrainingRequestException("data[" + i + "] has " + row.size()
                        + " values but feature_names has " + width);
            }
            rows[i] = new double[width];
            for (int j = 0; j < width; j++) {
                JsonNode value = row.get(j);
                if (!value.isNumber()) {
                    throw new InvalidTrainingRequestException("data[" + i + "][" + j + "] is not a number");
                }
                double v = value.asDouble();
                if (!Double.isFinite(v)) {
                    throw new InvalidTrainingRequestException("data[" + i + "][" + j + "] is not a finite number");
                }
                rows[i][j] = v;
            }
        }
        if (node.size() < requiredRows) {
            throw new InvalidTrainingRequestException("data has " + node.size() + " rows; at least " + requiredRows
                    + " are needed with these settings");
        }
        return rows;
    }

    private TrainingSettings settings(JsonNode root) {
        List<String> models = defaults.models();
        JsonNode modelsNode = root.get("models");
        if (modelsNode != null && !modelsNode.isNull()) {
            if (!modelsNode.isArray() || modelsNode.isEmpty()) {
                throw new InvalidTrainingRequestException("models must be a non-empty array of model names: "
                        + String.join(", ", DetectorCatalog.NAMES));
            }
            List<String> chosen = new ArrayList<>();
            for (JsonNode model : modelsNode) {
                if (!model.isTextual() || !DetectorCatalog.NAMES.contains(model.asText())) {
                    throw new InvalidTrainingRequestException("unknown model " + Excerpt.of(model.toString())
                            + "; known models: "
                            + String.join(", ", DetectorCatalog.NAMES));
                }
                if (!chosen.contains(model.asText())) {
                    chosen.add(model.asText());
                }
            }
            models = chosen;
        }
        double contamination = number(root, "contamination", defaults.contamination(), 0.0001, 0.5);
        int window = (int) integer(root, "lstm_window", defaults.lstmWindow(), 2, 200);
        int epochs = (int) integer(root, "lstm_epochs", defaults.lstmEpochs(), 1, 500);
        return defaults.with(models, contamination, window, epochs);
    }

    private static double number(JsonNode root, String field, double fallback, double min, double max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
            throw new InvalidTrainingRequestException(field + " must be a number between " + min + " and " + max);
        }
        return node.asDouble();
    }

    private static long integer(JsonNode root, String field, long fallback, long min, long max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw new InvalidTrainingRequestException(field + " must be an integer between " + min + " and " + max);
        }
        return node.asLong();
    }
}
