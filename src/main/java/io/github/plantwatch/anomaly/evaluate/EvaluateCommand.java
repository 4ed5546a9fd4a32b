package io.github.plantwatch.anomaly.evaluate;

import io.github.plantwatch.anomaly.Settings;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code evaluate --skab <folder> [--train-rows 400] [--nab-window-seconds 60] [--threads N] [--model-cache <dir>]
 * [--per-file]}: SKAB's protocol over every labelled file in the folder, with the settings of application.properties
 * (and their environment overrides), printing pooled F1 / FAR / MAR and the NAB scores per detector and for the
 * ensemble; files without labels (anomaly-free.csv) are scored the same way as long normal runs and reported
 * apart. The last line, {@code ensemble F1=<x> FAR=<y> MAR=<z>}, is for scripts.
 */
public final class EvaluateCommand {

    private static final String USAGE = "usage: evaluate --skab <folder> [--train-rows 400] [--nab-window-seconds 60]"
            + " [--threads N] [--model-cache <dir>] [--per-file]";

    private EvaluateCommand() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> options = options(args);
        if (!options.containsKey("--skab")) {
            out.println(USAGE);
            return 2;
        }
        Path folder = Path.of(options.get("--skab"));
        if (!Files.isDirectory(folder)) {
            out.println("not a folder: " + folder);
            return 2;
        }
        int trainingRows = Integer.parseInt(options.getOrDefault("--train-rows", "400"));
        long window = Long.parseLong(options.getOrDefault("--nab-window-seconds", "60"));
        int threads = Integer.parseInt(options.getOrDefault("--threads",
                String.valueOf(Runtime.getRuntime().availableProcessors())));

        Settings settings = Settings.shipped();
        SkabEvaluation evaluation = new SkabEvaluation(settings.trainingDefaults(), settings.scoring(), trainingRows,
                options.containsKey("--model-cache") ? Path.of(options.get("--model-cache")) : null);
        List<SkabFile> files = SkabFile.findAll(folder);
        long labelled = files.stream().filter(SkabFile::labelled).count();
        if (labelled == 0) {
            out.println("no labelled SKAB file (with anomaly and changepoint columns) under " + folder);
            return 2;
        }
        out.printf(Locale.ROOT, "SKAB evaluation of %s: %d labelled files and %d normal runs, first %d rows of each"
                + " for training%n", folder, labelled, files.size() - labelled, trainingRows);
        out.println("training settings: " + settings.trainingDefaults());
        out.println("scoring settings: " + settings.scoring());
        EvaluationReport report = new EvaluationReport(window, options.containsKey("--per-file"));
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<SkabEvaluation.FileResult>> results = new ArrayList<>();
            for (SkabFile file : files) {
                results.add(pool.submit(() -> evaluation.run(file)));
            }
            for (Future<SkabEvaluation.FileResult> result : results) {
                report.add(result.get());
            }
        }
        report.print(out);
        return 0;
    }

    /** Options with a value, and the flag {@code --per-file}, which has none. */
    private static Map<String, String> options(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--per-file")) {
                options.put("--per-file", "");
            } else if (i + 1 < args.size()) {
                options.put(args.get(i), args.get(++i));
            }
        }
        return options;
    }
}
