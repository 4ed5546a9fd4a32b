package io.github.plantwatch.anomaly.detect;

import smile.anomaly.SVM;
import smile.math.kernel.GaussianKernel;

import java.util.Arrays;

/**
 * Smile's trained one-class SVM (Gaussian kernel) laid out for scoring, with exactly Smile's numbers (tested).
 * Smile's rule (6.3.0): f(x) = b + sum_i w_i k(x, s_i), k(x, s) = exp((-0.5 r) r) with r = |x - s| / sigma, the
 * squared distance summed feature by feature. Here the support vectors are stored feature-major, one row per
 * feature holding that feature of every support vector, so a vector's squared distances to all of them are summed
 * a feature at a time along a row: loops the JIT vectorizes, with each sum's terms in Smile's order. The kernel's
 * exponentials stay one call each (the same function, so the same bits).
 */
final class CompactKernelMachine {

    /** supportByFeature[j][i] = feature j of support vector i. */
    private final double[][] supportByFeature;
    private final double[] weights;
    private final double[] logWeights;
    private final double sigma;

    CompactKernelMachine(SVM<double[]> svm) {
        if (!(svm.kernel() instanceof GaussianKernel kernel)) {
            throw new IllegalArgumentException("only the Gaussian kernel is laid out: " + svm.kernel());
        }
        double[][] support = svm.vectors();
        int width = support[0].length;
        supportByFeature = new double[width][support.length];
        for (int i = 0; i < support.length; i++) {
            for (int j = 0; j < width; j++) {
                supportByFeature[j][i] = support[i][j];
            }
        }
        weights = svm.weights().clone();
        logWeights = logs(weights);
        sigma = kernel.scale();
    }

    /** The machine as {@link #write} wrote it, checked. */
    CompactKernelMachine(ParameterSource in, int width) {
        String section = OneClassSvmDetector.NAME;
        sigma = in.number("sigma");
        weights = in.numbers("weights");
        double[] support = in.numbers("support_by_feature");
        ModelFormatException.require(sigma > 0 && Double.isFinite(sigma), section, "kernel scale must be positive");
        ModelFormatException.require(weights.length > 0 && support.length == (long) width * weights.length, section,
                "needs " + width + " values per support vector for " + weights.length + " weights, got "
                        + support.length);
        supportByFeature = new double[width][];
        for (int j = 0; j < width; j++) {
            supportByFeature[j] = Arrays.copyOfRange(support, j * weights.length, (j + 1) * weights.length);
        }
        logWeights = logs(weights);
    }

    void write(ParameterSink out) {
        out.number("sigma", sigma);
        out.numbers("weights", weights);
        double[] support = new double[supportByFeature.length * weights.length];
        for (int j = 0; j < supportByFeature.length; j++) {
            System.arraycopy(supportByFeature[j], 0, support, j * weights.length, weights.length);
        }
        out.numbers("support_by_feature", support);
    }

    private static double[] logs(double[] weights) {
        double[] logs = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] > 0) || !Double.isFinite(weights[i])) {
                throw new ModelFormatException(OneClassSvmDetector.NAME
                        + ": a one-class SVM's support vectors have positive weights, got " + weights[i]);
            }
            logs[i] = Math.log(weights[i]);
        }
        return logs;
    }

    /**
     * -log(sum_i w_i k(x, s_i)) of each vector: the decision value without its intercept, on a log scale. For a
     * one-class SVM the weights are positive, so this falls as f(x) rises (the same order as Smile's decision,
     * the same records on either side of any threshold), but where f(x) flattens out at -b far from the support
     * (every kernel term underflows) this keeps growing, as the squared distance to the nearest support vectors:
     * the score says how far out a record is, not only that it is out. Computed as a log-sum-exp, so that it
     * never underflows; an input whose squared distances overflow gives +Infinity.
     */
    double[] negativeLogDensities(double[][] vectors) {
        int m = weights.length;
        double[] exponent = new double[m];
        double[] result = new double[vectors.length];
        for (int v = 0; v < vectors.length; v++) {
            double[] x = vectors[v];
            Arrays.fill(exponent, 0);
            for (int j = 0; j < x.length; j++) {
                double xj = x[j];
                double[] column = supportByFeature[j];
                for (int i = 0; i < m; i++) {
                    double d = xj - column[i];
                    exponent[i] += d * d;
                }
            }
            double highest = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < m; i++) {
                exponent[i] = logWeights[i] - 0.5 * exponent[i] / (sigma * sigma);
                highest = Math.max(highest, exponent[i]);
            }
            if (!(highest > Double.NEGATIVE_INFINITY)) {
                result[v] = Double.POSITIVE_INFINITY;
                continue;
            }
            double sum = 0;
            for (int i = 0; i < m; i++) {
                sum += Math.exp(exponent[i] - highest);
            }
            result[v] = -(highest + Math.log(sum));
        }
        return result;
    }
}
