package io.github.plantwatch.anomaly.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated corpus of input records that must each end on the dead-letter topic, with the x-error-type and a piece
 * of the x-error-reason they must carry. Built from one valid seed-format message by breaking one thing at a time.
 */
public final class HostileRecords {

    /** One hostile record; {@code reason} is a fragment the x-error-reason must contain ("" for any). */
    public record Hostile(String name, byte[] value, String type, String reason) {
    }

    /** A long run of one character, which an error reason must never echo. */
    public static final String FILLER = "x".repeat(64);

    private static final String FEATURES = "\"rms\": 0.5, \"kurtosis\": 3.0, \"crest_factor\": 1.4, "
            + "\"variance\": 0.25, \"mean\": 0.0";
    private static final String VALID = "{\"asset_id\": \"PUMP-1\", \"sensor_id\": \"VIB-1\", \"features\": {"
            + FEATURES + "}, \"timestamp\": \"2024-01-01T12:00:00Z\", \"metadata\": {}}";

    private final List<Hostile> corpus = new ArrayList<>();

    private HostileRecords() {
    }

    public static List<Hostile> corpus() {
        HostileRecords records = new HostileRecords();
        records.garbage();
        records.sizesAndDepths();
        records.numbers();
        records.featureSets();
        records.wrongTypes();
        records.encodings();
        return List.copyOf(records.corpus);
    }

    private void garbage() {
        Random random = new Random(42);
        for (int i = 0; i < 3; i++) {
            byte[] bytes = new byte[256];
            random.nextBytes(bytes);
            add("random bytes " + i, bytes, "invalid_json", "");
        }
        add("empty", new byte[0], "invalid_json", "empty record");
        add("whitespace only", "   ", "invalid_json", "not a JSON object");
        add("truncated JSON", VALID.substring(0, VALID.length() / 2), "invalid_json", "end-of-input");
        add("trailing data", VALID + " " + VALID, "invalid_json", "Trailing token");
        add("duplicate asset_id", VALID.replace("{\"asset_id\": \"PUMP-1\"",
                "{\"asset_id\": \"PUMP-1\", \"asset_id\": \"PUMP-2\""), "invalid_json", "Duplicate field 'asset_id'");
        add("duplicate feature", VALID.replace("\"mean\": 0.0", "\"mean\": 0.0, \"rms\": 9.9"),
                "invalid_json", "Duplicate field 'rms'");
    }

    private void sizesAndDepths() {
        add("5 MB payload", metadata("{\"blob\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}"), "too_large",
                "the limit is 1000000");
        add("100 kB string", metadata("{\"note\": \"" + "x".repeat(100_000) + "\"}"), "invalid_json",
                "String value length");
        add("200 kB metadata", metadata("{\"samples\": [" + "1,".repeat(100_000) + "1]}"), "invalid_field",
                "metadata is");
        add("nested arrays", metadata("{\"a\": " + "[".repeat(50_000) + "]".repeat(50_000) + "}"), "invalid_json",
                "nesting depth");
        add("nested objects", metadata("{\"a\": ".repeat(10_000) + "1" + "}".repeat(10_000)), "invalid_json",
                "nesting depth");
        add("2000-character feature name", VALID.replace("\"mean\"", "\"" + FILLER.repeat(32) + "\""),
                "invalid_json", "Name length");
        add("300-character asset_id", VALID.replace("PUMP-1", "P".repeat(300)), "invalid_field",
                "asset_id is longer than 256");
        add("100-character timestamp", VALID.replace("2024-01-01T12:00:00Z", "T".repeat(100)), "invalid_field",
                "timestamp is longer than 64");
    }

    private void numbers() {
        add("number as string", feature("\"0.5\""), "invalid_field", "features.rms is not a number");
        add("NaN", feature("NaN"), "invalid_json", "'NaN'");
        add("Infinity", feature("Infinity"), "invalid_json", "'Infinity'");
        add("-Infinity", feature("-Infinity"), "invalid_json", "Infinity");
        add("overflowing number", feature("1e999"), "invalid_field", "features.rms is not a finite number");
        add("2000-digit number", feature("1" + "0".repeat(2000)), "invalid_json", "Number value length");
        add("null feature value", feature("null"), "invalid_field", "features.rms is not a number");
        add("boolean feature value", feature("true"), "invalid_field", "features.rms is not a number");
        // valid, but its result would carry Infinity (1e400 parses as Infinity): it cannot be published
        add("1e400 in metadata", metadata("{\"x\": 1e400}"), "scoring_error",
                "non-finite number Infinity at /metadata/x");
    }

    private void featureSets() {
        add("null features", VALID.replace("{" + FEATURES + "}", "null"), "missing_field", "features is missing");
        add("empty features", VALID.replace("{" + FEATURES + "}", "{}"), "missing_field", "features is empty");
        add("no features field", VALID.replace("\"features\": {" + FEATURES + "}, ", ""), "missing_field",
                "features is missing");
        add("unknown feature", VALID.replace("\"mean\": 0.0", "\"mean\": 0.0, \"temperature\": 80"),
                "feature_mismatch", "unexpected [temperature]");
        add("missing feature", VALID.replace(", \"mean\": 0.0", ""), "feature_mismatch", "missing [mean]");
        StringBuilder many = new StringBuilder(FEATURES);
        for (int i = 0; i < 10_000; i++) {
            many.append(", \"f").append(i).append("\": 1");
        }
        add("10000 unknown features", VALID.replace(FEATURES, many), "feature_mismatch", "and 9995 more");
    }

    private void wrongTypes() {
        add("asset_id number", VALID.replace("\"PUMP-1\"", "42"), "invalid_field", "asset_id must be a string");
        add("asset_id object", VALID.replace("\"PUMP-1\"", "{}"), "invalid_field", "asset_id must be a string");
        add("asset_id blank", VALID.replace("\"PUMP-1\"", "\"  \""), "missing_field", "asset_id is missing");
        add("asset_id with a line break", VALID.replace("PUMP-1", "PUMP\\n1"), "invalid_field",
                "asset_id contains control characters");
        add("no asset_id", VALID.replace("\"asset_id\": \"PUMP-1\", ", ""), "missing_field", "asset_id is missing");
        add("sensor_id number", VALID.replace("\"VIB-1\"", "7"), "invalid_field", "sensor_id must be a string");
        add("features array", VALID.replace("{" + FEATURES + "}", "[0.5, 3.0]"), "invalid_field",
                "features must be an object");
        add("features string", VALID.replace("{" + FEATURES + "}", "\"loud\""), "invalid_field",
                "features must be an object");
        add("timestamp number", VALID.replace("\"2024-01-01T12:00:00Z\"", "1700000000"), "invalid_field",
                "timestamp must be a string");
        add("metadata string", metadata("\"line A\""), "invalid_field", "metadata must be an object");
        add("metadata array", metadata("[1, 2]"), "invalid_field", "metadata must be an object");
        add("array at the root", "[" + VALID + "]", "invalid_json", "not a JSON object");
        add("number at the root", "42", "invalid_json", "not a JSON object");
        add("null at the root", "null", "invalid_json", "not a JSON object");
    }

    private void encodings() {
        add("Latin-1 asset_id", VALID.replace("PUMP-1", "Pompe-\u00e9").getBytes(StandardCharsets.ISO_8859_1),
                "invalid_json", "Invalid UTF-8");
        add("UTF-16LE", VALID.getBytes(StandardCharsets.UTF_16LE), "invalid_json", "not UTF-8");
        add("UTF-16 with byte order mark", VALID.getBytes(StandardCharsets.UTF_16), "invalid_json", "not UTF-8");
        add("invalid UTF-8 in a string", concat(VALID.substring(0, 16), new byte[]{(byte) 0xC3, (byte) 0x28},
                VALID.substring(16)), "invalid_json", "Invalid UTF-8");
    }

    private static String metadata(String json) {
        return VALID.replace("\"metadata\": {}", "\"metadata\": " + json);
    }

    private static String feature(String rmsValue) {
        return VALID.replace("\"rms\": 0.5", "\"rms\": " + rmsValue);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        byte[] end = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[start.length + middle.length + end.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(middle, 0, all, start.length, middle.length);
        System.arraycopy(end, 0, all, start.length + middle.length, end.length);
        return all;
    }

    private void add(String name, String value, String type, String reason) {
        add(name, value.getBytes(StandardCharsets.UTF_8), type, reason);
    }

    private void add(String name, byte[] value, String type, String reason) {
        corpus.add(new Hostile(name, value, type, reason));
    }
}
