package io.github.plantwatch.anomaly.detect;

import smile.anomaly.IsolationForest;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;

/** Smile's Isolation Forest on single vectors; its score in (0, 1] is already "higher = more anomalous". */
public final class IsolationForestDetector extends PointDetector {

    public static final String NAME = "isolation_forest";

    /** Smile's forest, only in a freshly trained detector: the reference of the tests. Loaded ones score alone. */
    private final IsolationForest forest;
    private final CompactIsolationForest compact;

    private IsolationForestDetector(IsolationForest forest) {
        this.forest = forest;
        this.compact = new CompactIsolationForest(forest);
    }

    private IsolationForestDetector(CompactIsolationForest compact) {
        this.forest = null;
        this.compact = compact;
    }

    static IsolationForestDetector read(ParameterSource in, int width) {
        return new IsolationForestDetector(new CompactIsolationForest(in, width));
    }

    @Override
    public void write(ParameterSink out) {
        compact.write(out);
    }

    public static IsolationForestDetector fit(double[][] rows, int trees) {
        // Subsample 256 rows per tree (the paper's default); depth limit ceil(log2(256)). Smile wants a rate below
        // 1, so a smaller training set leaves out one row per tree. Extension level 0: the original algorithm, one
        // feature per split (what the compact layout scores).
        double subsample = Math.min(256.0 / rows.length, (rows.length - 1.0) / rows.length);
        int maxDepth = (int) Math.ceil(Math.log(Math.max(2, subsample * rows.length)) / Math.log(2));
        return new IsolationForestDetector(
                IsolationForest.fit(rows, new IsolationForest.Options(trees, maxDepth, subsample, 0)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    double[] scores(double[][] vectors) {
        return compact.scores(vectors);
    }

    /** Smile's own scoring: the reference the compact layout is tested against. */
    double smileScore(double[] vector) {
        return forest.score(vector);
    }
}
