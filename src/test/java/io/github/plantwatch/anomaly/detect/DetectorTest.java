package io.github.plantwatch.anomaly.detect;

import io.github.plantwatch.anomaly.support.SensorData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each detector really trained and really scored: separation, calibration, and a persistence round trip. */
class DetectorTest {

    private static final int WINDOW = 5;
    private static double[][] training;
    private static double[][] healthy;
    private static double[][] faulty;

    @BeforeAll
    static void data() {
        SensorData data = new SensorData(3);
        double[][] raw = data.healthyRows(800);
        Standardizer standardizer = Standardizer.fit(Arrays.copyOf(raw, 600));
        training = standardizer.apply(Arrays.copyOf(raw, 600));
        healthy = standardizer.apply(Arrays.copyOfRange(raw, 600, 800));
        double[][] fault = new double[WINDOW][];
        for (int i = 0; i < WINDOW; i++) {
            fault[i] = data.faulty();
        }
        faulty = standardizer.apply(fault);
    }

    static Detector train(String name) {
        return switch (name) {
            case IsolationForestDetector.NAME -> IsolationForestDetector.fit(training, 100);
            case OneClassSvmDetector.NAME -> OneClassSvmDetector.fit(training, 0.01, 42);
            default -> LstmAutoencoderDetector.fit(training, WINDOW, 8, 42, epoch -> { });
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {IsolationForestDetector.NAME, OneClassSvmDetector.NAME, LstmAutoencoderDetector.NAME})
    void separatesFaultsFromHealthyDataWithACalibratedThreshold(String name) throws Exception {
        Detector detector = train(name);
        assertEquals(name, detector.name());
        double contamination = 0.02;
        TailCalibration calibration = TailCalibration.fit(
                detector.rawScores(Windows.sliding(training, detector.windowLength())), contamination);
        assertEquals(Rarity.scoreOf(contamination), calibration.threshold(), 1e-12);

        double[] healthyScores = detector.rawScores(Windows.sliding(healthy, detector.windowLength()));
        long falseAlarms = Arrays.stream(healthyScores).map(calibration::score)
                .filter(s -> s >= calibration.threshold()).count();
        assertTrue(falseAlarms <= healthyScores.length * 0.1,
                name + ": " + falseAlarms + " of " + healthyScores.length + " healthy windows flagged");

        double[] faultScore = detector.rawScores(Windows.sliding(faulty, detector.windowLength()));
        double fault = calibration.score(faultScore[faultScore.length - 1]);
        assertTrue(fault > calibration.threshold(), name + ": fault scored " + fault + " <= " + calibration);
    }
}
