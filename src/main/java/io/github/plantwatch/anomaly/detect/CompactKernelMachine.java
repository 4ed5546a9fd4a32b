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
    private final double intercept;
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
        intercept = svm.intercept();
        sigma = kernel.scale();
    }

    /** Smile's decision value f(x) of each vector: positive inside the learned support. */
    double[] decisions(double[][] vectors) {
        int m = weights.length;
        double[] kernel = new double[m];
        double[] decisions = new double[vectors.length];
        for (int v = 0; v < vectors.length; v++) {
            double[] x = vectors[v];
            Arrays.fill(kernel, 0);
            for (int j = 0; j < x.length; j++) {
                double xj = x[j];
                double[] column = supportByFeature[j];
                for (int i = 0; i < m; i++) {
                    double d = xj - column[i];
                    kernel[i] += d * d;
                }
            }
            for (int i = 0; i < m; i++) {
                double r = Math.sqrt(kernel[i]) / sigma;
                kernel[i] = -0.5 * r * r;
            }
            for (int i = 0; i < m; i++) {
                kernel[i] = Math.exp(kernel[i]);
            }
            double f = intercept;
            for (int i = 0; i < m; i++) {
                f += weights[i] * kernel[i];
            }
            decisions[v] = f;
        }
        return decisions;
    }
}
