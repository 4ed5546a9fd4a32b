package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.util.Map;

/**
 * Writes an {@link AnomalyResult} as the output topic's JSON, the same bytes as {@link JsonCodec#mapper()} writes
 * from the record's annotations (tested), straight to Jackson's generator. As fast as the data binder once
 * compiled (JMH), but cheaper to compile: in the benchmark's cold backlog the JIT spent 0.34 s compiling the
 * writing of results through the binder's reflective bean, map and list serializers, 0.17 s with this (JFR).
 */
public final class ResultWriter {

    private static final SerializableString ASSET_ID = name("asset_id");
    private static final SerializableString SENSOR_ID = name("sensor_id");
    private static final SerializableString TIMESTAMP = name("timestamp");
    private static final SerializableString SCORES = name("scores");
    private static final SerializableString SCORE = name("score");
    private static final SerializableString MODEL_NAME = name("model_name");
    private static final SerializableString THRESHOLD = name("threshold");
    private static final SerializableString IS_ANOMALY = name("is_anomaly");
    private static final SerializableString FINAL_SCORE = name("final_score");
    private static final SerializableString CRITICALITY = name("criticality");
    private static final SerializableString FEATURES = name("features");
    private static final SerializableString METADATA = name("metadata");
    private static final SerializableString MODEL_VERSION = name("model_version");
    private static final SerializableString MODEL_SCOPE = name("model_scope");
    private static final SerializableString TOP_FEATURES = name("top_features");
    private static final SerializableString RESULT_ID = name("result_id");
    private static final SerializableString IN_MAINTENANCE = name("in_maintenance");
    private static final SerializableString NORMAL_BY_FEEDBACK = name("normal_by_feedback");
    private static final SerializableString NAME = name("name");
    private static final SerializableString CONTRIBUTION = name("contribution");
    private static final SerializableString OBSERVED = name("observed");
    private static final SerializableString EXPECTED = name("expected");

    private ResultWriter() {
    }

    private static SerializableString name(String name) {
        return new SerializedString(name);
    }

    /**
     * @throws FiniteJson.NonFiniteNumberException when a number of the result (its metadata included) is NaN or
     *                                             infinite: none is ever published
     */
    public static byte[] write(AnomalyResult result) {
        ByteArrayBuilder out = new ByteArrayBuilder(768);
        try (JsonGenerator json = FiniteJson.strict(JsonCodec.mapper().getFactory().createGenerator(out))) {
            json.writeStartObject();
            json.writeFieldName(ASSET_ID);
            json.writeString(result.assetId());
            json.writeFieldName(SENSOR_ID);
            json.writeString(result.sensorId());
            json.writeFieldName(TIMESTAMP);
            json.writeString(result.timestamp());
            json.writeFieldName(SCORES);
            json.writeStartArray();
            for (ModelScore score : result.scores()) {
                json.writeStartObject();
                json.writeFieldName(SCORE);
                json.writeNumber(score.score());
                json.writeFieldName(MODEL_NAME);
                json.writeString(score.modelName());
                json.writeFieldName(THRESHOLD);
                json.writeNumber(score.threshold());
                json.writeFieldName(IS_ANOMALY);
                json.writeBoolean(score.isAnomaly());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeFieldName(FINAL_SCORE);
            json.writeNumber(result.finalScore());
            json.writeFieldName(IS_ANOMALY);
            json.writeBoolean(result.isAnomaly());
            json.writeFieldName(CRITICALITY);
            json.writeString(result.criticality().jsonName());
            json.writeFieldName(FEATURES);
            json.writeStartObject();
            for (Map.Entry<String, Double> feature : result.features().entrySet()) {
                json.writeFieldName(feature.getKey());
                json.writeNumber(feature.getValue());
            }
            json.writeEndObject();
            json.writeFieldName(METADATA);
            json.writeTree(result.metadata());
            json.writeFieldName(MODEL_VERSION);
            json.writeNumber(result.modelVersion());
            json.writeFieldName(MODEL_SCOPE);
            json.writeString(result.modelScope());
            json.writeFieldName(TOP_FEATURES);
            json.writeStartArray();
            for (FeatureContribution feature : result.topFeatures()) {
                json.writeStartObject();
                json.writeFieldName(NAME);
                json.writeString(feature.name());
                json.writeFieldName(CONTRIBUTION);
                json.writeNumber(feature.contribution());
                json.writeFieldName(OBSERVED);
                json.writeNumber(feature.observed());
                json.writeFieldName(EXPECTED);
                json.writeNumber(feature.expected());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (result.resultId() != null) {
                json.writeFieldName(RESULT_ID);
                json.writeString(result.resultId());
            }
            if (result.inMaintenance()) {
                json.writeFieldName(IN_MAINTENANCE);
                json.writeBoolean(true);
            }
            if (result.normalByFeedback() != null) {
                json.writeFieldName(NORMAL_BY_FEEDBACK);
                json.writeString(result.normalByFeedback());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw FiniteJson.failure(e);
        }
        return out.toByteArray();
    }
}
