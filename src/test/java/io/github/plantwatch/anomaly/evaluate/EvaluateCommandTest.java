package io.github.plantwatch.anomaly.evaluate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluate command end to end on SKAB-format files it writes itself: real training through the trainer,
 * real scoring through the scoring core, the report's lines and its last line for scripts.
 */
class EvaluateCommandTest {

    private static final Pattern LAST_LINE = Pattern.compile("ensemble F1=([0-9.]+) FAR=([0-9.]+) MAR=([0-9.]+)");

    @TempDir
    Path folder;

    /** 1,100 rows at 1 Hz, SKAB-like: normal, then rows 700-799 with the second feature 8 deviations up. */
    private static void experiment(Path file, long seed, boolean labelled) throws Exception {
        Random random = new Random(seed);
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        LocalDateTime start = LocalDateTime.of(2020, 3, 9, 10, 0, 0);
        StringBuilder csv = new StringBuilder("datetime;Flow;Pressure;Current" + (labelled ? ";anomaly;changepoint" : ""))
                .append("\r\n");
        for (int i = 0; i < 1100; i++) {
            boolean anomaly = i >= 700 && i < 800;
            csv.append(start.plusSeconds(i).format(format)).append(String.format(Locale.ROOT, ";%.4f;%.4f;%.4f",
                    32 + random.nextGaussian(), 0.25 + 0.01 * random.nextGaussian() + (anomaly ? 0.08 : 0),
                    1.2 + 0.05 * random.nextGaussian()));
            if (labelled) {
                csv.append(anomaly ? ";1.0" : ";0.0").append(i == 700 || i == 800 ? ";1.0" : ";0.0");
            }
            csv.append("\r\n");
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    @Test
    void trainsAndScoresEveryLabelledFileAndEndsWithTheLineScriptsRead() throws Exception {
        for (int i = 0; i < 4; i++) {
            experiment(folder.resolve("group-" + (i % 2) + "/" + i + ".csv"), 10 + i, true);
        }
        experiment(folder.resolve("anomaly-free/anomaly-free.csv"), 3, false);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status = EvaluateCommand.run(List.of("--skab", folder.toString(), "--per-file", "--threads", "1"),
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String report = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(0, status, report);
        assertTrue(report.contains("4 labelled files and 1 normal runs"), report);
        assertTrue(report.contains("2800 test rows"), "the normal run is not pooled with the experiments: " + report);
        assertTrue(report.contains("normal run anomaly-free/anomaly-free.csv: 700 rows, all normal; ensemble FAR="),
                report);
        for (int i = 0; i < 4; i++) {
            assertTrue(report.contains("\ngroup-" + (i % 2) + "/" + i + ".csv "), "per-file line " + i + ": " + report);
        }
        for (String detector : List.of("isolation_forest", "one_class_svm", "lstm_autoencoder")) {
            assertTrue(report.contains("\n" + detector + " "), detector + " missing: " + report);
        }
        List<String> lines = report.lines().toList();
        Matcher last = LAST_LINE.matcher(lines.getLast());
        assertTrue(last.matches(), "last line: " + lines.getLast());
        assertTrue(Double.parseDouble(last.group(3)) <= 10, "an obvious fault is found: " + report);
        assertTrue(Double.parseDouble(last.group(2)) <= 15, "few false alarms on normal noise: " + report);
        assertTrue(Double.parseDouble(last.group(1)) >= 0.6, report);
    }

    @Test
    void refusesAFolderWithoutLabelledFiles() throws Exception {
        experiment(folder.resolve("anomaly-free.csv"), 3, false);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        assertEquals(2, EvaluateCommand.run(List.of("--skab", folder.toString()),
                new PrintStream(buffer, true, StandardCharsets.UTF_8)));
        assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("no labelled SKAB file"));
    }
}
