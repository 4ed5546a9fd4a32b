package io.github.plantwatch.anomaly.stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.plantwatch.anomaly.contract.Excerpt;
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
        String assetId = identifier(requiredText(root, "asset_id"), "asset_id");
        String sensorId = identifier(optionalText(root, "sensor_id"), "sensor_id");
        Map<String, Double> features = features(root.get("features"));
        String timestamp = optionalText(root, "timestamp");
        if (timestamp != null && timestamp.length() > FeatureMessage.MAX_TIMESTAMP_LENGTH) {
            throw new RecordRejectedException(INVALID_FIELD, "timestamp is longer than "
                    + FeatureMessage.MAX_TIMESTAMP_LENGTH + " characters");
        }
        return new FeatureMessage(assetId, sensorId, features,
                timestamp != null ? timestamp : Instant.ofEpochMilli(recordTimestamp).toString(),
                metadata(root.get("metadata"), value.length));
    }

    private static JsonNode readTree(byte[] value) throws RecordRejectedException {
        if (value == null || value.length == 0) {
            throw new RecordRejectedException(INVALID_JSON, "empty record");
        }
        if (notUtf8(value)) {
            throw new RecordRejectedException(INVALID_JSON, "not UTF-8: the record starts like UTF-16 or UTF-32 text");
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

    /**
     * Jackson would detect UTF-16/32 by itself and read it; the contract is UTF-8. JSON text starts with an ASCII
     * character, so a zero among the first two bytes, or a UTF-16 byte order mark, means another encoding.
     */
    private static boolean notUtf8(byte[] value) {
        int first = value[0] & 0xFF;
        int second = value.length > 1 ? value[1] & 0xFF : -1;
        return first == 0 || second == 0 || (first == 0xFE && second == 0xFF) || (first == 0xFF && second == 0xFE);
    }

    /** Ids end up as record keys and in log lines: short, and no control character to forge a line. */
    private static String identifier(String id, String field) throws RecordRejectedException {
        if (id != null && id.length() > FeatureMessage.MAX_ID_LENGTH) {
            throw new RecordRejectedException(INVALID_FIELD, field + " is longer than "
                    + FeatureMessage.MAX_ID_LENGTH + " characters");
        }
        if (id != null && id.codePoints().anyMatch(Character::isISOControl)) {
            throw new RecordRejectedException(INVALID_FIELD, field + " contains control characters");
        }
        return id;
    }

    private static JsonNode metadata(JsonNode metadata, int recordBytes) throws RecordRejectedException {
        if (metadata == null || metadata.isNull()) {
            return JsonCodec.mapper().createObjectNode();
        }
        if (!metadata.isObject()) {
            throw new RecordRejectedException(INVALID_FIELD, "metadata must be an object");
        }
        // Written again, a number can take up to twice its characters (1e1 -> 10.0): a record of at most half the
        // limit cannot hold metadata over it, so only larger records pay for measuring it.
        if (recordBytes > FeatureMessage.MAX_METADATA_BYTES / 2) {
            int size;
            try {
                size = JsonCodec.mapper().writeValueAsBytes(metadata).length;
            } catch (JsonProcessingException e) {
                throw new RecordRejectedException(INVALID_FIELD, "metadata cannot be written as JSON");
            }
            if (size > FeatureMessage.MAX_METADATA_BYTES) {
                throw new RecordRejectedException(INVALID_FIELD, "metadata is " + size + " bytes as JSON; at most "
                        + FeatureMessage.MAX_METADATA_BYTES + " are accepted");
            }
        }
        return metadata;
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
                throw new RecordRejectedException(INVALID_FIELD,
                        "features." + Excerpt.of(field.getKey()) + " is not a number");
            }
            double v = value.asDouble();
            if (!Double.isFinite(v)) {
                throw new RecordRejectedException(INVALID_FIELD,
                        "features." + Excerpt.of(field.getKey()) + " is not a finite number");
            }
            features.put(field.getKey(), v);
        }
        return features;
    }
}
