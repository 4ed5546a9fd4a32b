package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.detect.ModelResolver;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TailCalibration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Recalibrates each model set's ensemble threshold, once, on the final scores it gives in service (docs/accuracy.md,
 * "Recalibrating in service"). Training calibrates the threshold as the (1 - contamination) quantile of a few hundred
 * held-out rows, whose neighbours are alike (overlapping windows, slow signals): the share of normal records that
 * vote then ranges from half to more than its target from one training to the next, and the persistence rule's
 * false alarms follow it steeply. The records a set scores in service, pooled over every stream it serves, are a
 * sample ten times larger: once {@code records} of them are in, the same quantile of their final scores becomes the
 * set's threshold, installed as the scope's next version (so that every instance, and every restart, scores with
 * it). OpenSearch's anomaly detection does likewise: its thresholding model is trained on the first scores and
 * updated with the next ones.
 * <p>
 * Counted are the records judged normal that every detector of the set scored (a sequence detector only scores a
 * full window), outside maintenance and not declared normal by feedback: the scores of normal operation. Leaving out
 * the records judged anomalous keeps a fault out of the sample, but also the false alarms, normal records from the
 * upper tail: the quantile then lies lower by about their share. So when the set judged more than its contamination
 * of the fully scored records anomalous, it does not fit the plant's operation (which is the retraining's job), the
 * sample says little of its normal scores, and its threshold is left as it is. A recalibrated set is not
 * recalibrated again; a set trained without a contamination in its provenance (before provenance was kept) is not
 * recalibrated.
 */
public final class ThresholdRecalibration {

    private static final Logger LOG = LoggerFactory.getLogger(ThresholdRecalibration.class);

    private final int records;
    private final int streamWarmUp;
    private final ModelResolver models;
    private final Consumer<ModelSet> install;
    /** Per scope key: the sample of the newest version seen. */
    private final Map<String, Sample> samples = new HashMap<>();

    /**
     * @param records      how many scores make the sample; 0 = never recalibrate
     * @param streamWarmUp how many of each stream's first fully scored normal records are left out: scores from a
     *                     stream whose adaptive baseline has not yet taken its own level are lower than later ones
     * @param models  finds the set a result names, when a sample for it starts
     * @param install puts a recalibrated set in service (under its scope's next version) when its scope is still
     *                served by the set it was recalibrated from; called on the scoring thread, so it must not block
     */
    public ThresholdRecalibration(int records, int streamWarmUp, ModelResolver models, Consumer<ModelSet> install) {
        if (records < 0 || streamWarmUp < 0) {
            throw new IllegalArgumentException("recalibration records and warm-up must be >= 0, were " + records
                    + " and " + streamWarmUp);
        }
        this.records = records;
        this.streamWarmUp = streamWarmUp;
        this.models = models;
        this.install = install;
    }

    /**
     * A recalibration of the one set an in-process run serves every stream with (the evaluation, the benchmarks):
     * installed at once as the next version, as the service's model log would.
     */
    public static ThresholdRecalibration ofOneSet(ScoringSettings settings, AtomicReference<ModelSet> inService) {
        return new ThresholdRecalibration(settings.recalibrationRecords(), settings.recalibrationWarmUp(),
                asset -> Optional.of(inService.get()), recalibrated ->
                inService.getAndUpdate(current -> current.version() == recalibrated.recalibratedFrom()
                        ? recalibrated.as(recalibrated.scope(), current.version() + 1) : current));
    }

    /** Counts the scores of the results judged normal; installs what they complete. */
    public void observe(List<AnomalyResult> results) {
        if (records == 0) {
            return;
        }
        synchronized (samples) {
            for (AnomalyResult result : results) {
                if (result.inMaintenance() || result.normalByFeedback() != null) {
                    continue;
                }
                Sample sample = samples.get(result.modelScope());
                if (sample == null || sample.set.version() < result.modelVersion()) {
                    sample = start(result);
                    if (sample == null) {
                        continue;
                    }
                    samples.put(result.modelScope(), sample);
                }
                if (sample.set.version() == result.modelVersion() && sample.add(result)) {
                    sample.recalibrated().ifPresent(install);
                }
            }
        }
    }

    /** A sample for the set the result names, or null when that set is no longer the asset's. */
    private Sample start(AnomalyResult result) {
        Optional<ModelSet> set = models.forAsset(result.assetId());
        if (set.isEmpty() || set.get().version() != result.modelVersion()
                || !set.get().scope().key().equals(result.modelScope())) {
            return null;
        }
        String contamination = set.get().provenance().get(ModelSet.CONTAMINATION);
        boolean eligible = set.get().recalibratedFrom() < 0 && contamination != null;
        return new Sample(set.get(), eligible ? Double.parseDouble(contamination) : 0, eligible ? records : 0,
                streamWarmUp);
    }

    /**
     * The highest final scores of one set's normal records: all that the quantile needs (the top {@code kept}).
     */
    private static final class Sample {
        private final ModelSet set;
        private final double quantile;
        private final int size;
        private final int kept;
        private final PriorityQueue<Double> top = new PriorityQueue<>();
        private final int warmUp;
        /** Per stream (asset and sensor), how many of its fully scored records were seen; dropped when full. */
        private Map<String, Integer> streamAges = new HashMap<>();
        private int seen;
        /** Fully scored records judged anomalous, past their stream's warm-up, while the sample filled. */
        private int anomalous;

        /** @param size 0: a set that is not recalibrated (the sample never fills) */
        Sample(ModelSet set, double contamination, int size, int warmUp) {
            this.set = set;
            this.warmUp = warmUp;
            this.quantile = 1 - contamination;
            this.size = size;
            // TailCalibration.quantile reads the order statistics at and above floor(quantile * (size - 1))
            int needed = size == 0 ? 0 : size - (int) Math.floor(quantile * (size - 1));
            this.kept = Math.min(size, needed + 1);
        }

        /** @return whether this result completed the sample */
        boolean add(AnomalyResult result) {
            if (seen >= size || result.scores().size() != set.models().size()) {
                return false;
            }
            if (streamAges.merge(result.assetId() + '\u0000' + result.sensorId(), 1, Integer::sum) <= warmUp) {
                return false;
            }
            if (result.isAnomaly()) {
                anomalous++;
                return false;
            }
            offer(result.finalScore());
            if (++seen < size) {
                return false;
            }
            streamAges = Map.of();
            return true;
        }

        /** The set with its recalibrated threshold, or empty when it judged too many records anomalous. */
        Optional<ModelSet> recalibrated() {
            if (anomalous > (1 - quantile) * (seen + anomalous)) {
                LOG.warn("Ensemble threshold of {} v{} not recalibrated: it judged {} of the {} records it scored in "
                        + "service anomalous, more than its contamination ({}); it does not fit the plant's "
                        + "operation, which retraining, not recalibration, follows", set.scope(), set.version(),
                        anomalous, seen + anomalous, String.format(Locale.ROOT, "%.3f", 1 - quantile));
                return Optional.empty();
            }
            // the sample's order statistics from rank size - kept on: the quantile's position lies among them
            double[] ascending = new double[size];
            double[] highest = top.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            Arrays.fill(ascending, 0, size - kept, highest[0]);
            System.arraycopy(highest, 0, ascending, size - kept, kept);
            return Optional.of(set.recalibrated(TailCalibration.quantile(ascending, quantile), size));
        }

        private void offer(double score) {
            if (top.size() < kept) {
                top.add(score);
            } else if (score > top.peek()) {
                top.poll();
                top.add(score);
            }
        }
    }
}
