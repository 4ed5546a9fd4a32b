package io.github.plantwatch.anomaly.bench;

import io.github.plantwatch.anomaly.Settings;
import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.EpisodeEvent;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.ModelScore;
import io.github.plantwatch.anomaly.detect.LstmAutoencoderDetector;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.stream.MessageScorer;
import io.github.plantwatch.anomaly.stream.ThresholdRecalibration;
import io.github.plantwatch.anomaly.support.SensorData;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.TreeMap;

/**
 * The verdicts on a generated plant (docs/accuracy.md, "A less sensitive vote"): a model set trained with the shipped
 * settings (application.properties and its environment overrides, e.g. TRAINING_SEED, TRAINING_CONTAMINATION) on
 * 2,000 healthy rows of {@link SensorData} (-Dnormal-run.training-rows), then the benchmark's backlog
 * ({@link GeneratedPlant}, one stream per asset) scored in process by the route's scoring core, {@link MessageScorer}.
 * Prints the false alarm rate on the healthy records, the episodes among the flagged records (the alert issue's
 * floor: 2 %) and how those opened on a healthy record opened, each detector's votes, the ensemble's vote rate on
 * the healthy records against the contamination it was calibrated to, and the lengths of the autoencoder's runs of
 * votes on healthy records. {@code mvn -q test-compile exec:exec@normal-run [-Dnormal-run.seed=42]
 * [-Dnormal-run.warm-up-records=0]}, about 15 s; with data seed 11, training seed 42 (the default) and 20,000 warm-up
 * records it trains on the rows the benchmark trains on (docs/accuracy.md, "The benchmark's model draw").
 */
public final class GeneratedNormalRun {

    private static final int LONGEST_RUN_SHOWN = 11;

    public static void main(String[] args) {
        int streams = Integer.getInteger("normal-run.streams", 500);
        int records = Integer.getInteger("normal-run.records", 200_000);
        long seed = Long.getLong("normal-run.seed", 42);
        int trainingRows = Integer.getInteger("normal-run.training-rows", 2000);
        int warmUpRecords = Integer.getInteger("normal-run.warm-up-records", 0);
        Settings settings = Settings.shipped();
        SensorData data = new SensorData(seed);
        // the benchmark draws its warm-up's backlog (500 assets) from its data before the training rows: 20,000
        // here (with data seed 11) trains on the benchmark's rows, so its model draw is scored in seconds
        GeneratedPlant warmUp = new GeneratedPlant(data, 500);
        for (int i = 0; i < warmUpRecords; i++) {
            warmUp.next(i);
        }
        ModelSet trained = new ModelTrainer().train(new TrainingRequest(data.healthyRows(trainingRows),
                SensorData.FEATURES, settings.trainingDefaults()), 1, step -> { });
        AtomicReference<ModelSet> inService = new AtomicReference<>(trained);
        MessageScorer scorer = new MessageScorer(asset -> Optional.of(inService.get()), settings.scoring());
        ThresholdRecalibration recalibration = ThresholdRecalibration.ofOneSet(settings.scoring(),
                inService);

        Map<String, Integer> votes = new TreeMap<>();
        Map<String, Integer> healthyOpenings = new TreeMap<>();
        long healthy = 0, ensembleVotes = 0, falseAlarms = 0, faultRecords = 0, faultsFlagged = 0, episodes = 0;
        long healthyRecalibrated = 0, votesRecalibrated = 0;
        int[] autoencoderRun = new int[streams];
        long[] runs = new long[LONGEST_RUN_SHOWN + 1];
        GeneratedPlant plant = new GeneratedPlant(data, streams);
        List<FeatureMessage> batch = new ArrayList<>();
        List<Boolean> inFault = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            GeneratedPlant.Reading reading = plant.next(i);
            batch.add(FeatureMessage.of(reading.assetId(), "VIB-1", SensorData.FEATURES, reading.values(),
                    Instant.ofEpochSecond(1_700_000_000L + i / streams).toString()));
            inFault.add(reading.fault());
            if (batch.size() < 500 && i < records - 1) {
                continue;
            }
            double threshold = inService.get().ensembleThreshold();
            boolean recalibrated = inService.get().recalibratedFrom() >= 0;
            List<MessageScorer.Outcome> outcomes = scorer.score(batch);
            recalibration.observe(outcomes.stream().map(MessageScorer.Outcome::result).toList());
            int first = i + 1 - batch.size();
            for (int k = 0; k < outcomes.size(); k++) {
                AnomalyResult result = outcomes.get(k).result();
                boolean faulty = inFault.get(k);
                boolean autoencoderVote = false;
                for (ModelScore score : result.scores()) {
                    if (score.isAnomaly()) {
                        votes.merge(score.modelName(), 1, Integer::sum);
                        autoencoderVote |= score.modelName().equals(LstmAutoencoderDetector.NAME);
                    }
                }
                int s = (first + k) % streams;
                if (autoencoderVote && !faulty) {
                    autoencoderRun[s]++;
                } else if (autoencoderRun[s] > 0) {
                    runs[Math.min(LONGEST_RUN_SHOWN, autoencoderRun[s])]++;
                    autoencoderRun[s] = 0;
                }
                faultRecords += faulty ? 1 : 0;
                faultsFlagged += faulty && result.isAnomaly() ? 1 : 0;
                healthy += faulty ? 0 : 1;
                boolean healthyVote = !faulty && result.finalScore() >= threshold;
                ensembleVotes += healthyVote ? 1 : 0;
                healthyRecalibrated += recalibrated && !faulty ? 1 : 0;
                votesRecalibrated += recalibrated && healthyVote ? 1 : 0;
                falseAlarms += !faulty && result.isAnomaly() ? 1 : 0;
                EpisodeEvent episode = outcomes.get(k).episode();
                if (episode != null && EpisodeEvent.OPENED.equals(episode.event())) {
                    episodes++;
                    if (!faulty) {
                        healthyOpenings.merge(result.criticality().jsonName(), 1, Integer::sum);
                    }
                }
            }
            batch.clear();
            inFault.clear();
        }
        long flagged = falseAlarms + faultsFlagged;
        System.out.printf(Locale.ROOT, "generated plant, data seed %d: %d streams, %d records, trained on %d rows, "
                + "%s%n", seed, streams, records, trainingRows, settings.trainingDefaults());
        System.out.printf(Locale.ROOT, "healthy records: %d, flagged %d (false alarm rate %.4f %%)%n", healthy,
                falseAlarms, 100.0 * falseAlarms / healthy);
        System.out.printf(Locale.ROOT, "fault records: %d, flagged %d%n", faultRecords, faultsFlagged);
        System.out.printf(Locale.ROOT, "episodes opened: %d = %.1f %% of the %d flagged records%n", episodes,
                100.0 * episodes / Math.max(1, flagged), flagged);
        System.out.printf(Locale.ROOT, "episodes opened on a healthy record, by its criticality (medium, high: by "
                + "persistence; critical: far out on its own): %s%n", healthyOpenings);
        System.out.printf(Locale.ROOT, "votes per detector: %s; the ensemble's on healthy records: %.2f %% "
                + "(calibrated to %.0f %%); %.2f %% on the %d scored after its threshold was recalibrated in "
                + "service (%s)%n", votes, 100.0 * ensembleVotes / healthy,
                100 * settings.trainingDefaults().contamination(), 100.0 * votesRecalibrated / Math.max(1,
                healthyRecalibrated), healthyRecalibrated, inService.get().provenance());
        System.out.printf(Locale.ROOT, "the autoencoder's runs of votes on healthy records, by length 1..%d+: %s%n",
                LONGEST_RUN_SHOWN, Arrays.toString(Arrays.copyOfRange(runs, 1, runs.length)));
    }
}
