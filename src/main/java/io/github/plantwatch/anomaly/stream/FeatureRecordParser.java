package io.github.plantwatch.anomaly.stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.github.plantwatch.anomaly.contract.RejectionReason.INVALID_FIELD;
import static io.github.plantwatch.anomaly.contract.RejectionReason.INVALID_JSON;
import static io.github.plantwatch.anomaly.contract.RejectionReason.MISSING_FIELD;

/** Reads one input record's bytes into a {@link FeatureMessage}, or says precisely why it cannot. */
final class FeatureRecordParser {

    private FeatureRecordParser() {
    }

    /**
     * @param recordTimestamp the Kafka record's time, used when the message carries no {@code timestamp}
     */
    static FeatureMessage parse(byte[] value, long recordTimestamp) throws RecordRejectedException {
        JsonNode root = readTree(value);
        String assetId = requiredText(root, "asset_id");
        String sensorId = optionalText(root, "sensor_id");
        Map<String, Double> features = features(root.get("features"));
        String timestamp = optionalText(root, "timestamp");
        JsonNode metadata = root.get("metadata");
        if (metadata != null && !metadata.isObject() && !metadata.isNull()) {
            throw new RecordRejectedException(INVALID_FIELD, "metadata must be an object");
        }
        return new FeatureMessage(assetId, sensorId, features,
                timestamp != null ? timestamp : Instant.ofEpochMilli(recordTimestamp).toString(),
                metadata == null || metadata.isNull() ? JsonCodec.mapper().createObjectNode() : metadata);
    }

    private static JsonNode readTree(byte[] value) throws RecordRejectedException {
        if (value == null || value.length == 0) {
            throw new RecordRejectedException(INVALID_JSON, "empty record");
        }
        JsonNode root;
        try {
            root = JsonCodec.mapper().readTree(value);
        } catch (JacksonException e) {
            throw new RecordRejectedException(INVALID_JSON, "invalid JSON: " + JsonCodec.describe(e));
        } catch (IOException e) {
            throw new RecordRejectedException(INVALID_JSON, "unreadable record: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RecordRejectedException(INVALID_JSON, "record is not a JSON object");
        }
        return root;
    }

    private static String requiredText(JsonNode root, String field) throws RecordRejectedException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            throw new RecordRejectedException(MISSING_FIELD, field + " is missing");
        }
        if (!node.isTextual()) {
            throw new RecordRejectedException(INVALID_FIELD, field + " must be a string");
        }
        return node.asText();
    }

    private static String optionalText(JsonNode root, String field) throws RecordRejectedException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new RecordRejectedException(INVALID_FIELD, field + " must be a string");
        }
        return node.asText();
    }

    private static Map<String, Double> features(JsonNode node) throws RecordRejectedException {
        if (node == null || node.isNull()) {
            throw new RecordRejectedException(MISSING_FIELD, "features is missing");
        }
        if (!node.isObject()) {
            throw new RecordRejectedException(INVALID_FIELD, "features must be an object of name: number");
        }
        if (node.isEmpty()) {
            throw new RecordRejectedException(MISSING_FIELD, "features is empty");
        }
        Map<String, Double> features = new LinkedHashMap<>(node.size() * 2);
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (!value.isNumber()) {
                throw new RecordRejectedException(INVALID_FIELD, "features." + field.getKey() + " is not a number");
            }
            double v = value.asDouble();
            if (!Double.isFinite(v)) {
                throw new RecordRejectedException(INVALID_FIELD,
                        "features." + field.getKey() + " is not a finite number");
            }
            features.put(field.getKey(), v);
        }
        return features;
    }
}
