package io.github.plantwatch.anomaly.detect;

import smile.anomaly.SVM;
import smile.math.kernel.GaussianKernel;

import java.util.Random;

/**
 * Smile's one-class SVM with a Gaussian kernel on single vectors, scored through {@link CompactKernelMachine}.
 * Smile's decision value b + sum w_i k(x, s_i) is positive inside the learned support (normal); the raw anomaly
 * score is -log(sum w_i k(x, s_i)), which orders records as the negated decision does but keeps growing, as the
 * squared distance to the support, where the decision value flattens out ({@link
 * CompactKernelMachine#negativeLogDensities}).
 */
public final class OneClassSvmDetector extends PointDetector {

    public static final String NAME = "one_class_svm";
    /** Training is quadratic in rows; a uniform sample of this size keeps it to seconds. */
    static final int MAX_TRAINING_ROWS = 3000;

    /** Smile's machine, only in a freshly trained detector: the reference of the tests. Loaded ones score alone. */
    private final SVM<double[]> svm;
    private final CompactKernelMachine compact;

    private OneClassSvmDetector(SVM<double[]> svm) {
        this.svm = svm;
        this.compact = new CompactKernelMachine(svm);
    }

    private OneClassSvmDetector(CompactKernelMachine compact) {
        this.svm = null;
        this.compact = compact;
    }

    static OneClassSvmDetector read(ParameterSource in, int width) {
        return new OneClassSvmDetector(new CompactKernelMachine(in, width));
    }

    @Override
    public void write(ParameterSink out) {
        compact.write(out);
    }

    /**
     * @param nu upper bound on the fraction of training rows outside the support
     */
    public static OneClassSvmDetector fit(double[][] rows, double nu, long seed) {
        double[][] sample = sample(rows, MAX_TRAINING_ROWS, seed);
        int width = rows[0].length;
        // gamma = 1 / width on standardized data (scikit-learn's "auto"), i.e. sigma = sqrt(width / 2).
        GaussianKernel kernel = new GaussianKernel(Math.sqrt(width / 2.0));
        return new OneClassSvmDetector(SVM.fit(sample, kernel, new SVM.Options(nu, 1E-3)));
    }

    private static double[][] sample(double[][] rows, int max, long seed) {
        if (rows.length <= max) {
            return rows;
        }
        double[][] copy = rows.clone();
        Random random = new Random(seed);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(copy.length - i);
            double[] swap = copy[i];
            copy[i] = copy[j];
            copy[j] = swap;
        }
        return java.util.Arrays.copyOf(copy, max);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    double[] scores(double[][] vectors) {
        return compact.negativeLogDensities(vectors);
    }

    /** sum w_i k(x, s_i) by Smile's own decision value: the reference the compact layout is tested against. */
    double smileDensity(double[] vector) {
        return svm.score(vector) - svm.intercept();
    }

    /** Smile's own decision value: positive inside the learned support. */
    double smileDecision(double[] vector) {
        return svm.score(vector);
    }
}
