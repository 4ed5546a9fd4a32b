package io.github.plantwatch.anomaly.store;

import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.support.LogCapture;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files on disk: what a crash, a bad disk or a hostile file can leave behind, and what the store loads then.
 * Real model sets (an Isolation Forest, trained in milliseconds) written by the store itself, then damaged.
 */
class ModelStoreTest {

    @TempDir
    Path directory;
    private ModelStore store;
    private Path current;

    @BeforeEach
    void saveTwoVersions() throws Exception {
        store = new ModelStore(directory);
        store.save(modelSet(1));
        store.save(modelSet(2));
        current = directory.resolve(ModelStore.CURRENT);
    }

    @Test
    void loadsTheNewestVersionAndKeepsThePreviousOne() {
        assertEquals(2, store.load().orElseThrow().version());
        assertTrue(Files.exists(directory.resolve(ModelStore.PREVIOUS)));
        assertTrue(Files.notExists(directory.resolve(ModelStore.CURRENT + ".tmp")), "no temporary file left");
    }

    @Test
    void aFlippedByteIsDetectedAndThePreviousVersionIsUsed() throws Exception {
        byte[] bytes = Files.readAllBytes(current);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(current, bytes);
        assertFallsBackToVersionOne("checksum mismatch");
    }

    @Test
    void aTruncatedFileIsDetectedAndThePreviousVersionIsUsed() throws Exception {
        byte[] bytes = Files.readAllBytes(current);
        Files.write(current, Arrays.copyOf(bytes, bytes.length / 2));
        assertFallsBackToVersionOne("checksum mismatch");
    }

    @Test
    void aFileCutInsideItsHeaderIsDetectedAndThePreviousVersionIsUsed() throws Exception {
        Files.write(current, Arrays.copyOf(Files.readAllBytes(current), 12));
        assertFallsBackToVersionOne("checksum mismatch");
    }

    @Test
    void aFileThatIsNotAModelIsDetectedAndThePreviousVersionIsUsed() throws Exception {
        Files.writeString(current, "{\"not\": \"a model\"}");
        assertFallsBackToVersionOne("not a model set (no PWMODEL header");
    }

    @Test
    void aCrashBetweenTheTwoRenamesLeavesThePreviousVersion() throws Exception {
        // save(): current -> previous, then temporary -> current; a crash in between leaves no current file
        Files.delete(current);
        Files.writeString(directory.resolve(ModelStore.CURRENT + ".tmp"), "half-written");
        try (LogCapture log = LogCapture.of(ModelStore.class)) {
            assertEquals(1, store.load().orElseThrow().version());
            assertTrue(log.errors().stream().anyMatch(line -> line.contains("model-set.bin is missing")),
                    log.lines().toString());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1|model format 1 (Java serialization", "3|model format 3 is not format 2"})
    void aFileOfAnotherFormatIsRefusedWithAMessageSayingSo(char format, String reason) throws Exception {
        byte[] bytes = Files.readAllBytes(current);
        bytes[7] = (byte) format;
        Files.write(current, bytes);
        assertFallsBackToVersionOne(reason);
    }

    @Test
    void nothingLoadableMeansNoModelsAndTwoErrors() throws Exception {
        Files.writeString(current, "garbage");
        Files.writeString(directory.resolve(ModelStore.PREVIOUS), "garbage too");
        try (LogCapture log = LogCapture.of(ModelStore.class)) {
            assertEquals(Optional.empty(), store.load());
            assertEquals(2, log.errors().size(), log.lines().toString());
        }
    }

    private void assertFallsBackToVersionOne(String reason) {
        try (LogCapture log = LogCapture.of(ModelStore.class)) {
            assertEquals(1, store.load().orElseThrow().version(), "the previous good version");
            List<String> errors = log.errors();
            assertEquals(2, errors.size(), log.lines().toString());
            assertTrue(errors.get(0).contains("Cannot load model file " + current) && errors.get(0).contains(reason),
                    errors.get(0));
            assertTrue(errors.get(1).contains("Using the previous model set v1"), errors.get(1));
        }
    }

    private static ModelSet modelSet(long version) {
        TrainingSettings settings = new TrainingSettings(List.of("isolation_forest"), 0.01, 5, 2, 20, version);
        return new ModelTrainer().train(new TrainingRequest(new SensorData(version).healthyRows(64),
                SensorData.FEATURES, settings), version, step -> { });
    }
}
