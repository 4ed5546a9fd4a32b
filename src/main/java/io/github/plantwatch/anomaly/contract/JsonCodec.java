package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of the service: strict on input (duplicate keys, trailing data, NaN), plain on output.
 * Parsing limits far below Jackson's defaults make hostile input fail fast with a reason naming the limit: no
 * message or training request of the service nests deeper than 3 levels, and metadata gets {@value #MAX_DEPTH}.
 */
public final class JsonCodec {

    public static final int MAX_DEPTH = 32;
    public static final int MAX_NAME_LENGTH = 1024;
    public static final int MAX_STRING_LENGTH = 65_536;
    public static final int MAX_NUMBER_LENGTH = 100;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build();
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(LIMITS).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private JsonCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A record of the service's own topics, read back. @throws IllegalArgumentException when it is not one */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** A parse error in one line, with its position, and never the payload itself. */
    public static String describe(JacksonException error) {
        String message = error.getOriginalMessage();
        int detail = message.indexOf(" (start marker at");
        message = detail > 0 ? message.substring(0, detail) : message;
        // a broken limit names the Jackson method that holds it: operators need the figures, not the method
        message = message.replaceAll(", from `StreamReadConstraints[^`]*`\\)", ")");
        JsonLocation location = error.getLocation();
        return location == null ? message
                : message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
