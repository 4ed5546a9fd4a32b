package io.github.plantwatch.anomaly.evaluate;

import io.github.plantwatch.anomaly.Settings;
import org.apache.camel.impl.DefaultCamelContext;

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
 * {@code evaluate --skab <folder> [--train-rows 400] [--nab-window-seconds 60] [--threads N] [--model-cache <dir>]}: SKAB's protocol
 * over every labelled file in the folder, with the settings of application.properties (and their environment
 * overrides), printing pooled F1 / FAR / MAR and the NAB scores per detector and for the ensemble. The last line,
 * {@code ensemble F1=<x> FAR=<y> MAR=<z>}, is for scripts.
 */
public final class EvaluateCommand {

    private EvaluateCommand() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> options = options(args);
        if (!options.containsKey("--skab")) {
            out.println("usage: evaluate --skab <folder> [--train-rows 400] [--nab-window-seconds 60] [--threads N] [--model-cache <dir>]");
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

        Settings settings;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            settings = new Settings(context.getPropertiesComponent());
        }
        SkabEvaluation evaluation = new SkabEvaluation(settings.trainingDefaults(), settings.scoring(), trainingRows,
                options.containsKey("--model-cache") ? Path.of(options.get("--model-cache")) : null);
        List<SkabFile> files = SkabFile.findAll(folder);
        if (files.isEmpty()) {
            out.println("no labelled SKAB file (with anomaly and changepoint columns) under " + folder);
            return 2;
        }
        out.printf(Locale.ROOT, "SKAB evaluation of %s: %d labelled files, first %d rows of each for training%n",
                folder, files.size(), trainingRows);
        out.println("training settings: " + settings.trainingDefaults());
        out.println("scoring settings: " + settings.scoring());
        EvaluationReport report = new EvaluationReport(window);
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

    private static Map<String, String> options(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            options.put(args.get(i), args.get(i + 1));
        }
        return options;
    }
}
