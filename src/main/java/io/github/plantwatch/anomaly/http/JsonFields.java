package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.plantwatch.anomaly.contract.Excerpt;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * A small JSON request body of the operators' API, read field by field: every problem is a {@link BadRequest} whose
 * message names the field and what it must be (the API answers it as a 400 or 415).
 */
final class JsonFields {

    static final int MAX_TEXT_LENGTH = 1000;

    /** A request the API refuses, with its status and the reason shown to the caller. */
    static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final JsonNode body;

    private JsonFields(JsonNode body) {
        this.body = body;
    }

    /**
     * @param contentType the request's Content-Type: JSON only, so that a page of another site cannot send one as a
     *                    "simple" cross-origin request
     * @param allowed     the field names the body may hold
     */
    static JsonFields parse(String contentType, byte[] body, Set<String> allowed) throws BadRequest {
        requireJson(contentType);
        JsonNode node;
        try {
            node = JsonCodec.mapper().readTree(body == null ? new byte[0] : body);
        } catch (JacksonException e) {
            throw new BadRequest(400, "the body is not valid JSON: " + JsonCodec.describe(e));
        } catch (java.io.IOException e) {
            throw new BadRequest(400, "the body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest(400, "the body must be a JSON object");
        }
        for (var names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new BadRequest(400, "unknown field " + Excerpt.of(name) + "; the fields are " + allowed);
            }
        }
        return new JsonFields(node);
    }

    /**
     * A JSON body must say so: a browser sends a cross-origin {@code text/plain} (or form) POST without asking the
     * server first, never an {@code application/json} one.
     */
    static void requireJson(String contentType) throws BadRequest {
        String type = contentType == null ? "" : contentType.strip().toLowerCase(java.util.Locale.ROOT);
        if (!(type.equals("application/json") || type.startsWith("application/json;"))) {
            throw new BadRequest(415, "the body must be JSON, sent with Content-Type: application/json"
                    + (contentType == null ? " (none was sent)" : ", not " + Excerpt.of(contentType)));
        }
    }

    boolean has(String field) {
        return body.hasNonNull(field);
    }

    /** An optional id (null when absent), with the rules of asset_id. */
    String id(String field) throws BadRequest {
        if (!has(field)) {
            return null;
        }
        String value = text(field, FeatureMessage.MAX_ID_LENGTH);
        if (value.isBlank()) {
            throw new BadRequest(400, field + " must not be blank");
        }
        return value;
    }

    /** Optional free text of at most {@value #MAX_TEXT_LENGTH} characters without control characters. */
    String text(String field) throws BadRequest {
        return has(field) ? text(field, MAX_TEXT_LENGTH) : null;
    }

    /** An optional ISO-8601 instant. */
    Instant instant(String field) throws BadRequest {
        if (!has(field)) {
            return null;
        }
        String value = text(field, 64);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequest(400, field + " must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, got "
                    + Excerpt.of(value));
        }
    }

    private String text(String field, int maxLength) throws BadRequest {
        JsonNode value = body.get(field);
        if (!value.isTextual()) {
            throw new BadRequest(400, field + " must be a string");
        }
        String text = value.asText();
        if (text.length() > maxLength) {
            throw new BadRequest(400, field + " must be at most " + maxLength + " characters, got " + text.length());
        }
        checkId(field, text);
        return text;
    }

    /** Ids and texts go into log lines: no control characters (a forged line break would forge a log line). */
    static void checkId(String field, String value) throws BadRequest {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest(400, field + " must not contain control characters");
        }
    }

    /** A path parameter id: required, with the rules of asset_id. */
    static String pathId(String field, String value) throws BadRequest {
        if (value == null || value.isBlank() || value.length() > FeatureMessage.MAX_ID_LENGTH) {
            throw new BadRequest(400, field + " must be a non-blank id of at most " + FeatureMessage.MAX_ID_LENGTH
                    + " characters");
        }
        checkId(field, value);
        return value;
    }
}
