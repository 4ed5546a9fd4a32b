package io.github.plantwatch.anomaly.evaluate;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Pools each predictor's results over the files and prints them; the ensemble's line comes last. */
final class EvaluationReport {

    private final long nabWindowSeconds;
    private final Map<String, BinaryCounts> binary = new LinkedHashMap<>();
    private final Map<String, NabScore> nab = new LinkedHashMap<>();
    private int testRows;

    EvaluationReport(long nabWindowSeconds) {
        this.nabWindowSeconds = nabWindowSeconds;
    }

    void add(SkabEvaluation.FileResult result) {
        SkabFile test = result.test();
        testRows += test.size();
        result.predictions().forEach((name, predicted) -> {
            binary.computeIfAbsent(name, n -> new BinaryCounts()).add(test.anomaly(), predicted);
            nab.computeIfAbsent(name, n -> new NabScore(nabWindowSeconds))
                    .add(test.seconds(), test.changepoint(), predicted);
        });
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "%d test rows; NAB windows [changepoint, changepoint + %d s]%n", testRows,
                nabWindowSeconds);
        out.printf(Locale.ROOT, "%-18s %6s %8s %8s %13s %11s %11s%n", "detector", "F1", "FAR %", "MAR %",
                "NAB standard", "NAB low FP", "NAB low FN");
        for (String name : binary.keySet()) {
            if (!name.equals(SkabEvaluation.ENSEMBLE)) {
                line(out, name);
            }
        }
        line(out, SkabEvaluation.ENSEMBLE);
        BinaryCounts ensemble = binary.get(SkabEvaluation.ENSEMBLE);
        out.printf(Locale.ROOT, "ensemble F1=%.3f FAR=%.2f MAR=%.2f%n", ensemble.f1(), ensemble.falseAlarmRate(),
                ensemble.missingAlarmRate());
    }

    private void line(PrintStream out, String name) {
        BinaryCounts counts = binary.get(name);
        NabScore score = nab.get(name);
        out.printf(Locale.ROOT, "%-18s %6.3f %8.2f %8.2f %13.2f %11.2f %11.2f%n", name, counts.f1(),
                counts.falseAlarmRate(), counts.missingAlarmRate(), score.result(NabScore.Profile.STANDARD),
                score.result(NabScore.Profile.LOW_FP), score.result(NabScore.Profile.LOW_FN));
    }
}
