package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.detect.ModelScope;
import io.github.plantwatch.anomaly.support.SensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingRequestParserTest {

    private static final TrainingSettings DEFAULTS = new TrainingSettings(DetectorCatalog.NAMES, 0.01, 10, 20, 100, 42);
    private final TrainingRequestParser parser = new TrainingRequestParser(DEFAULTS, 32, 1000, 8);
    private static final String ROWS_40 = rows(40, 2);

    private static String rows(int n, int width) {
        StringBuilder rows = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            rows.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < width; j++) {
                rows.append(j == 0 ? "" : ",").append(i * 0.5 + j);
            }
            rows.append(']');
        }
        return rows.append(']').toString();
    }

    private InvalidTrainingRequestException refused(String body) {
        return assertThrows(InvalidTrainingRequestException.class,
                () -> parser.parse(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void acceptsAValidRequestWithDefaultsAndOverrides() {
        TrainingRequest request = parser.parse(("{\"data\": " + ROWS_40 + ", \"feature_names\": [\"a\", \"b\"], "
                + "\"contamination\": 0.05, \"models\": [\"isolation_forest\"], \"lstm_epochs\": 3}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("a", "b"), request.featureNames());
        assertEquals(40, request.data().length);
        assertArrayEquals(new double[]{0.5, 1.5}, request.data()[1]);
        assertEquals(0.05, request.settings().contamination());
        assertEquals(List.of("isolation_forest"), request.settings().models());
        assertEquals(3, request.settings().lstmEpochs());
        assertEquals(10, request.settings().lstmWindow());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON | {\"data\": [[1,2], | not valid JSON",
            "not an object | [1, 2, 3] | must be a JSON object",
            "missing data | {\"feature_names\": [\"a\", \"b\"]} | data is missing",
            "missing names | {\"data\": [[1, 2]]} | feature_names is missing",
            "duplicate names | {\"data\": [[1, 2]], \"feature_names\": [\"a\", \"a\"]} | duplicate: 'a'",
            "ragged rows | {\"data\": [[1, 2], [3]], \"feature_names\": [\"a\", \"b\"]} | data[1] has 1 values but feature_names has 2",
            "string value | {\"data\": [[1, \"x\"]], \"feature_names\": [\"a\", \"b\"]} | data[0][1] is not a number",
            "non-finite value | {\"data\": [[1, 1e999]], \"feature_names\": [\"a\", \"b\"]} | data[0][1] is not a finite number",
            "NaN literal | {\"data\": [[1, NaN]], \"feature_names\": [\"a\", \"b\"]} | not valid JSON",
            "unknown field | {\"data\": [[1, 2]], \"feature_names\": [\"a\", \"b\"], \"contaminaton\": 0.1} | unknown field 'contaminaton'",
            "too many features | {\"data\": [[1]], \"feature_names\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]} | at most 8",
            "bad contamination | {\"data\": [[1, 2]], \"feature_names\": [\"a\", \"b\"], \"contamination\": 0.9} | contamination must be",
            "empty body |  | request body is empty",
    })
    void refusesWithAMessageNamingTheProblem(String description, String body, String expected) {
        InvalidTrainingRequestException error = refused(body == null ? "" : body);
        assertEquals(400, error.status());
        assertTrue(error.getMessage().contains(expected), description + ": " + error.getMessage());
    }

    @Test
    void refusesUnknownModelsAndNamesTheKnownOnes() {
        InvalidTrainingRequestException error = refused("{\"data\": " + ROWS_40
                + ", \"feature_names\": [\"a\", \"b\"], \"models\": [\"isolation_forest\", \"xgboost\"]}");
        assertTrue(error.getMessage().contains("xgboost") && error.getMessage().contains("one_class_svm"));
    }

    @Test
    void refusesTooFewRowsForTheLstmWindow() {
        InvalidTrainingRequestException error = refused("{\"data\": " + ROWS_40
                + ", \"feature_names\": [\"a\", \"b\"], \"lstm_window\": 30}");
        assertTrue(error.getMessage().contains("at least 60"), error.getMessage());
    }

    @Test
    void refusesTooManyRowsWith413() {
        InvalidTrainingRequestException error = refused("{\"data\": " + rows(1001, 2)
                + ", \"feature_names\": [\"a\", \"b\"]}");
        assertEquals(413, error.status());
    }

    @Test
    void acceptsTheTestSuitesSeedShapedRequest() {
        TrainingRequest request = parser.parse(SensorData.trainingRequest(new SensorData(1).healthyRows(50), "")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(SensorData.FEATURES, request.featureNames());
    }

    private TrainingRequest parsed(String extraFields) {
        return parser.parse(("{\"data\": " + ROWS_40 + ", \"feature_names\": [\"a\", \"b\"], " + extraFields + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void namesWhomTheModelSetServes() {
        assertEquals(ModelScope.GLOBAL, parsed("\"models\": [\"isolation_forest\"]").scope());
        assertEquals(ModelScope.asset("PUMP-1"), parsed("\"asset_id\": \"PUMP-1\"").scope());
        TrainingRequest group = parsed("\"model_group\": \"pumps\", \"asset_id\": [\"P-1\", \"P-2\", \"P-1\"]");
        assertEquals(ModelScope.group("pumps"), group.scope());
        assertEquals(List.of("P-1", "P-2"), group.members());
        assertEquals(List.of("P-3"), parsed("\"model_group\": \"pumps\", \"asset_id\": \"P-3\"").members());
        assertEquals(List.of(), parsed("\"model_group\": \"pumps\"").members());
    }

    @Test
    void refusesMalformedAssetsAndGroups() {
        String body = "{\"data\": " + ROWS_40 + ", \"feature_names\": [\"a\", \"b\"], ";
        assertTrue(refused(body + "\"asset_id\": \" \"}").getMessage().contains("asset_id"));
        assertTrue(refused(body + "\"asset_id\": 7}").getMessage().contains("asset_id"));
        assertTrue(refused(body + "\"asset_id\": [\"P-1\"]}").getMessage().contains("model_group"),
                "several assets only for a group");
        assertTrue(refused(body + "\"model_group\": \"\"}").getMessage().contains("model_group"));
    }

    @Test
    void refusesControlCharactersAndOverLongIdsNamingTheField() {
        String body = "{\"data\": " + ROWS_40 + ", \"feature_names\": [\"a\", \"b\"], ";
        String forged = "P-1\\nINFO forged log line";
        InvalidTrainingRequestException asset = refused(body + "\"asset_id\": \"" + forged + "\"}");
        assertEquals(400, asset.status());
        assertEquals("asset_id must not contain control characters", asset.getMessage());
        assertEquals("model_group must not contain control characters",
                refused(body + "\"model_group\": \"pumps\\u0007\"}").getMessage());
        assertEquals("asset_id[] must not contain control characters",
                refused(body + "\"model_group\": \"pumps\", \"asset_id\": [\"P-1\", \"P-2\\r\"]}").getMessage());
        String tooLong = "x".repeat(257);
        assertEquals("asset_id must be at most 256 characters, got 257",
                refused(body + "\"asset_id\": \"" + tooLong + "\"}").getMessage());
        assertEquals("model_group must be at most 256 characters, got 257",
                refused(body + "\"model_group\": \"" + tooLong + "\"}").getMessage());
        assertEquals(ModelScope.asset("x".repeat(256)), parsed("\"asset_id\": \"" + "x".repeat(256) + "\"").scope());
        assertEquals("feature_names[1] must not contain control characters", refused("{\"data\": " + ROWS_40
                + ", \"feature_names\": [\"a\", \"b\\t\"]}").getMessage());
    }
}
