package io.github.plantwatch.anomaly.evaluate;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pools each predictor's results over the labelled files (SKAB's protocol) and prints them; long normal runs
 * (unlabelled files) get their false alarm rate on a line of their own, outside the pooled figures; with
 * {@code perFile}, the ensemble's figures file by file. The ensemble's pooled line comes last.
 */
final class EvaluationReport {

    private final long nabWindowSeconds;
    private final boolean perFile;
    private final Map<String, BinaryCounts> binary = new LinkedHashMap<>();
    private final Map<String, NabScore> nab = new LinkedHashMap<>();
    private final List<String> fileLines = new ArrayList<>();
    private final List<String> normalRunLines = new ArrayList<>();
    private int testRows;

    EvaluationReport(long nabWindowSeconds, boolean perFile) {
        this.nabWindowSeconds = nabWindowSeconds;
        this.perFile = perFile;
    }

    void add(SkabEvaluation.FileResult result) {
        SkabFile test = result.test();
        BinaryCounts ensemble = new BinaryCounts();
        ensemble.add(test.anomaly(), result.predictions().get(SkabEvaluation.ENSEMBLE));
        if (!test.labelled()) {
            normalRunLines.add(String.format(Locale.ROOT, "normal run %s: %d rows, all normal; ensemble FAR=%.2f %%",
                    test.name(), test.size(), ensemble.falseAlarmRate()));
            return;
        }
        fileLines.add(String.format(Locale.ROOT, "%-26s %6d %6.3f %8.2f %8.2f", test.name(), test.size(),
                ensemble.f1(), ensemble.falseAlarmRate(), ensemble.missingAlarmRate()));
        testRows += test.size();
        result.predictions().forEach((name, predicted) -> {
            binary.computeIfAbsent(name, n -> new BinaryCounts()).add(test.anomaly(), predicted);
            nab.computeIfAbsent(name, n -> new NabScore(nabWindowSeconds))
                    .add(test.seconds(), test.changepoint(), predicted);
        });
    }

    void print(PrintStream out) {
        if (perFile) {
            out.printf(Locale.ROOT, "%-26s %6s %6s %8s %8s%n", "file (ensemble)", "rows", "F1", "FAR %", "MAR %");
            fileLines.forEach(out::println);
        }
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
        normalRunLines.forEach(out::println);
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
