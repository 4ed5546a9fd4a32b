package io.github.plantwatch.anomaly.evaluate;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.contract.ModelScore;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.store.ModelStore;
import io.github.plantwatch.anomaly.stream.MessageScorer;
import io.github.plantwatch.anomaly.stream.ThresholdRecalibration;
import io.github.plantwatch.anomaly.stream.Retrainer;
import io.github.plantwatch.anomaly.stream.ScoringSettings;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.Retraining;
import io.github.plantwatch.anomaly.train.TrainingRequest;
import io.github.plantwatch.anomaly.train.TrainingSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SKAB's protocol on one file: a model set trained on the first {@code trainingRows} rows by the service's own
 * trainer (as {@code POST /train} would), then the remaining rows scored in order, as one stream, by the service's
 * own scoring core (as the route would, record by record as a live stream comes, with the route's continuous
 * learning and automatic retraining). Returns, per detector and for the ensemble, the binary prediction over the
 * scored rows.
 */
public final class SkabEvaluation {

    /** The name of the ensemble's prediction among the detectors'. */
    public static final String ENSEMBLE = "ensemble";

    private final TrainingSettings training;
    private final ScoringSettings scoring;
    private final int trainingRows;
    private final Path modelCache;

    /**
     * @param modelCache where trained model sets are kept between runs (null: train every time); a set is reused
     *                   only for the same file, training rows and training settings, so comparing scoring settings
     *                   need not retrain
     */
    public SkabEvaluation(TrainingSettings training, ScoringSettings scoring, int trainingRows, Path modelCache) {
        this.training = training;
        this.scoring = scoring;
        this.trainingRows = trainingRows;
        this.modelCache = modelCache;
    }

    /** What one file produced: the test part and each prediction over it (detectors in model-set order). */
    public record FileResult(SkabFile test, Map<String, boolean[]> predictions) {
    }

    public FileResult run(SkabFile file) {
        if (file.size() <= trainingRows) {
            throw new IllegalArgumentException(file.name() + " has " + file.size() + " rows; more than "
                    + trainingRows + " are needed");
        }
        AtomicReference<ModelSet> inService = new AtomicReference<>(modelSet(file));
        SkabFile test = file.from(trainingRows);
        Retraining retraining = new Retraining(new ModelTrainer(), training, scoring);
        // the route's retraining, run at once: the figures must not depend on how fast training happens to be
        Retrainer retrainer = job -> {
            Retraining.Decision decision = retraining.run(job, inService.get().version() + 1);
            if (decision.promote()) {
                inService.set(decision.candidate());
            }
        };
        MessageScorer scorer = new MessageScorer(asset -> Optional.of(inService.get()), scoring, retrainer,
                (model, nanos) -> { });
        ThresholdRecalibration recalibration = ThresholdRecalibration.ofOneSet(scoring, inService);
        Map<String, boolean[]> predictions = new LinkedHashMap<>();
        inService.get().models().forEach(m -> predictions.put(m.name(), new boolean[test.size()]));
        boolean[] ensemble = new boolean[test.size()];
        for (int i = 0; i < test.size(); i++) { // one record per call, as a live 1 Hz stream reaches the route
            AnomalyResult result = scorer.score(messages(test, i, i + 1)).getFirst().result();
            recalibration.observe(List.of(result));
            ensemble[i] = result.isAnomaly();
            for (ModelScore score : result.scores()) {
                predictions.get(score.modelName())[i] = score.isAnomaly();
            }
        }
        predictions.put(ENSEMBLE, ensemble);
        return new FileResult(test, predictions);
    }

    /**
     * What a cached set depends on: the training settings and the build of the service itself (a set trained by
     * other code may score differently).
     */
    private String trainedBy() {
        String build;
        try {
            Path code = Path.of(SkabEvaluation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            build = code + "@" + java.nio.file.Files.getLastModifiedTime(code) + "/" + java.nio.file.Files.size(code);
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            build = "unknown build " + System.nanoTime(); // never reuse what cannot be traced to this build
        }
        return training + " " + build;
    }

    private ModelSet modelSet(SkabFile file) {
        ModelStore cache = modelCache == null ? null : new ModelStore(modelCache.resolve(
                file.name().replaceAll("[^A-Za-z0-9]", "_") + "-" + trainingRows + "-"
                        + Integer.toHexString(trainedBy().hashCode())));
        Optional<ModelSet> cached = cache == null ? Optional.empty() : cache.load();
        if (cached.isPresent()) {
            return cached.get();
        }
        double[][] trainingData = Arrays.copyOf(file.rows(), trainingRows);
        ModelSet models = new ModelTrainer().train(new TrainingRequest(trainingData, file.featureNames(), training),
                1, step -> { });
        if (cache != null) {
            try {
                cache.save(models);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return models;
    }

    private static List<FeatureMessage> messages(SkabFile test, int from, int to) {
        List<FeatureMessage> messages = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            messages.add(FeatureMessage.of(test.name(), null, test.featureNames(), test.rows()[i],
                    Instant.ofEpochSecond(test.seconds()[i]).toString()));
        }
        return messages;
    }
}
