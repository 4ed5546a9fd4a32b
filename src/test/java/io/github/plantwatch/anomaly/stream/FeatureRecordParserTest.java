package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureRecordParserTest {

    private static FeatureMessage parse(String json) throws RecordRejectedException {
        return FeatureRecordParser.parse(json.getBytes(StandardCharsets.UTF_8), 1_700_000_000_000L);
    }

    @Test
    void readsTheSeedMessage() throws Exception {
        FeatureMessage message = parse("{\"asset_id\": \"ASSET001\", \"sensor_id\": \"SENSOR001\", \"features\": "
                + "{\"rms\": 0.5, \"kurtosis\": 0.3, \"crest_factor\": 1.2, \"variance\": 0.1, \"mean\": 0.0}, "
                + "\"timestamp\": \"2024-01-01T12:00:00Z\", \"metadata\": {\"site\": \"north\"}}");
        assertEquals("ASSET001", message.assetId());
        assertEquals("SENSOR001", message.sensorId());
        assertEquals(List.of("rms", "kurtosis", "crest_factor", "variance", "mean"),
                List.copyOf(message.features().keySet()));
        assertEquals(1.2, message.features().get("crest_factor"));
        assertEquals("2024-01-01T12:00:00Z", message.timestamp());
        assertEquals("north", message.metadata().get("site").asText());
    }

    @Test
    void fillsOptionalFields() throws Exception {
        FeatureMessage message = parse("{\"asset_id\": \"A\", \"features\": {\"rms\": 1}}");
        assertNull(message.sensorId());
        assertEquals("2023-11-14T22:13:20Z", message.timestamp(), "the Kafka record time");
        assertTrue(message.metadata().isEmpty());
        assertEquals("A", message.streamKey());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "truncated | {\"asset_id\": \"A\", \"features\": { | INVALID_JSON",
            "array | [1, 2] | INVALID_JSON",
            "empty |  | INVALID_JSON",
            "duplicate key | {\"asset_id\": \"A\", \"asset_id\": \"B\", \"features\": {\"rms\": 1}} | INVALID_JSON",
            "trailing data | {\"asset_id\": \"A\", \"features\": {\"rms\": 1}} {} | INVALID_JSON",
            "NaN literal | {\"asset_id\": \"A\", \"features\": {\"rms\": NaN}} | INVALID_JSON",
            "no asset_id | {\"features\": {\"rms\": 1}} | MISSING_FIELD",
            "blank asset_id | {\"asset_id\": \" \", \"features\": {\"rms\": 1}} | MISSING_FIELD",
            "no features | {\"asset_id\": \"A\"} | MISSING_FIELD",
            "null features | {\"asset_id\": \"A\", \"features\": null} | MISSING_FIELD",
            "empty features | {\"asset_id\": \"A\", \"features\": {}} | MISSING_FIELD",
            "numeric asset_id | {\"asset_id\": 7, \"features\": {\"rms\": 1}} | INVALID_FIELD",
            "string value | {\"asset_id\": \"A\", \"features\": {\"rms\": \"1\"}} | INVALID_FIELD",
            "null value | {\"asset_id\": \"A\", \"features\": {\"rms\": null}} | INVALID_FIELD",
            "overflow | {\"asset_id\": \"A\", \"features\": {\"rms\": 1e999}} | INVALID_FIELD",
            "features array | {\"asset_id\": \"A\", \"features\": [1]} | INVALID_FIELD",
            "metadata string | {\"asset_id\": \"A\", \"features\": {\"rms\": 1}, \"metadata\": \"x\"} | INVALID_FIELD",
            "timestamp number | {\"asset_id\": \"A\", \"features\": {\"rms\": 1}, \"timestamp\": 5} | INVALID_FIELD",
    })
    void rejectsWithAReason(String description, String json, RejectionReason reason) {
        RecordRejectedException error = assertThrows(RecordRejectedException.class,
                () -> parse(json == null ? "" : json));
        assertEquals(reason, error.rejection().reason(), description + ": " + error.getMessage());
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        byte[] latin1 = "{\"asset_id\": \"caf\u00e9\", \"features\": {\"rms\": 1}}".getBytes(StandardCharsets.ISO_8859_1);
        RecordRejectedException error = assertThrows(RecordRejectedException.class,
                () -> FeatureRecordParser.parse(latin1, 0));
        assertEquals(RejectionReason.INVALID_JSON, error.rejection().reason());
    }
}
