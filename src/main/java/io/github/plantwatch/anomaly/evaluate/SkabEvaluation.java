package io.github.plantwatch.anomaly.evaluate;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.contract.ModelScore;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.store.ModelStore;
import io.github.plantwatch.anomaly.stream.MessageScorer;
import io.github.plantwatch.anomaly.stream.ScoringSettings;
import io.github.plantwatch.anomaly.train.ModelTrainer;
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

/**
 * SKAB's protocol on one file: a model set trained on the first {@code trainingRows} rows by the service's own
 * trainer (as {@code POST /train} would), then the remaining rows scored in order, as one stream, by the service's
 * own scoring core (as the route would, in batches of the route's size). Returns, per detector and for the
 * ensemble, the binary prediction over the scored rows.
 */
public final class SkabEvaluation {

    /** The name of the ensemble's prediction among the detectors'. */
    public static final String ENSEMBLE = "ensemble";
    private static final int BATCH = 500;

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
        ModelSet models = modelSet(file);
        SkabFile test = file.from(trainingRows);
        MessageScorer scorer = new MessageScorer(asset -> Optional.of(models), scoring);
        Map<String, boolean[]> predictions = new LinkedHashMap<>();
        models.models().forEach(m -> predictions.put(m.name(), new boolean[test.size()]));
        boolean[] ensemble = new boolean[test.size()];
        for (int from = 0; from < test.size(); from += BATCH) {
            int to = Math.min(test.size(), from + BATCH);
            List<MessageScorer.Outcome> outcomes = scorer.score(messages(test, from, to));
            for (int i = from; i < to; i++) {
                AnomalyResult result = outcomes.get(i - from).result();
                ensemble[i] = result.isAnomaly();
                for (ModelScore score : result.scores()) {
                    predictions.get(score.modelName())[i] = score.isAnomaly();
                }
            }
        }
        predictions.put(ENSEMBLE, ensemble);
        return new FileResult(test, predictions);
    }

    private ModelSet modelSet(SkabFile file) {
        ModelStore cache = modelCache == null ? null : new ModelStore(modelCache.resolve(
                file.name().replaceAll("[^A-Za-z0-9]", "_") + "-" + trainingRows + "-"
                        + Integer.toHexString(training.toString().hashCode())));
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
            Map<String, Double> features = new LinkedHashMap<>();
            for (int j = 0; j < test.featureNames().size(); j++) {
                features.put(test.featureNames().get(j), test.rows()[i][j]);
            }
            messages.add(new FeatureMessage(test.name(), null, features,
                    Instant.ofEpochSecond(test.seconds()[i]).toString(), JsonCodec.mapper().createObjectNode()));
        }
        return messages;
    }
}
