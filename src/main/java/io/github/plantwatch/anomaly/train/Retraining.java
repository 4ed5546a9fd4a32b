package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.detect.ModelScope;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.stream.MessageScorer;
import io.github.plantwatch.anomaly.stream.RetrainingJob;
import io.github.plantwatch.anomaly.stream.ScoringSettings;

import java.util.List;

/**
 * Runs one retraining job: trains a candidate model set for the asset on the stream's recent records judged normal
 * (the training defaults, as {@code POST /train} would), then scores the stream's newest records, which it has not
 * learned from, as the set in service scored them in the stream (shadow; the candidate first reads the records
 * before them, so that its windows and votes are warm). The candidate is promoted when it judges no more of those
 * records anomalous than the set in service did: it describes the stream's recent operation at least as well. It
 * learns from records the set in service judged normal, so the faults that set flags are not what it learns,
 * except after a change that has lasted {@code retraining.new-normal-after} records, which is taken as the new
 * normal.
 */
public final class Retraining {

    /** The candidate, the share of the shadow records each set found anomalous, and whether to promote it. */
    public record Decision(ModelSet candidate, double candidateAnomalous, double inServiceAnomalous, boolean promote) {
    }

    private final ModelTrainer trainer;
    private final TrainingSettings training;
    private final ScoringSettings scoring;

    public Retraining(ModelTrainer trainer, TrainingSettings training, ScoringSettings scoring) {
        this.trainer = trainer;
        this.training = training;
        this.scoring = scoring;
    }

    public Decision run(RetrainingJob job, long version) {
        List<String> names = job.inService().featureNames();
        ModelSet candidate = trainer.train(new TrainingRequest(job.trainingRows(), names, training,
                ModelScope.asset(job.assetId()), List.of()), version, step -> { });
        double candidateShare = anomalousShare(candidate, job);
        return new Decision(candidate, candidateShare, job.inServiceAnomalous(),
                candidateShare <= job.inServiceAnomalous());
    }

    private double anomalousShare(ModelSet models, RetrainingJob job) {
        if (job.shadowRows().length == 0) {
            return 0;
        }
        MessageScorer scorer = MessageScorer.replaying(models, scoring);
        for (double[] row : job.warmUpRows()) {
            scorer.score(List.of(FeatureMessage.of(job.assetId(), null, models.featureNames(), row, "")));
        }
        int anomalous = 0;
        for (double[] row : job.shadowRows()) {
            FeatureMessage message = FeatureMessage.of(job.assetId(), null, models.featureNames(), row, "");
            if (scorer.score(List.of(message)).getFirst().result().isAnomaly()) {
                anomalous++;
            }
        }
        return anomalous / (double) job.shadowRows().length;
    }
}
