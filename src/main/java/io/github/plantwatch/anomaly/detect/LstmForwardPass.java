package io.github.plantwatch.anomaly.detect;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trained LSTM autoencoder's inference in plain Java, from the network's weights. DL4J 1.0.0-M2.1 has no
 * native LSTM kernel on CPU, so each of its calls pays a fixed cost of milliseconds whatever the batch; this pass
 * costs the same per window at any batch size (batch 1 included) and matches DL4J to float precision (tested).
 * <p>
 * Layers (see {@link LstmAutoencoderDetector#fit}): encoder LSTM, LSTM keeping its last step (the latent
 * vector), repeat, decoder LSTM, linear output. DL4J's LSTM parameters: W [nIn, 4n], RW [n, 4n], b [4n], gate
 * blocks in the order block input (tanh), forget, output, input (sigmoid). Computes in float, as DL4J does,
 * which also doubles how many lanes the JIT's vector instructions fill.
 */
final class LstmForwardPass {

    private final Lstm encoder;
    private final Lstm latent;
    private final Lstm decoder;
    private final float[] outputWeights;
    private final float[] outputBias;
    private final int width;

    LstmForwardPass(MultiLayerNetwork network) {
        this.encoder = new Lstm(network, 0);
        this.latent = new Lstm(network, 1);
        this.decoder = new Lstm(network, 3);
        this.outputWeights = flat(network.getParam("4_W"));
        this.outputBias = flat(network.getParam("4_b"));
        this.width = outputBias.length;
    }

    private static float[] flat(INDArray parameter) {
        return parameter.dup('c').reshape(parameter.length()).toFloatVector();
    }

    /** Mean squared reconstruction error of one window of {@code T} vectors of {@code width} values. */
    double reconstructionError(double[][] window) {
        return reconstruct(window, null, null);
    }

    /**
     * As {@link #reconstructionError}, and when the arrays are given: {@code featureError[j]} = feature j's mean
     * squared error over the window (they average to the returned error), {@code newest[j]} = the reconstruction
     * of the window's newest vector. Both come out of the same pass, at no extra cost.
     */
    double reconstruct(double[][] window, double[] featureError, double[] newest) {
        int steps = window.length;
        float[][] input = new float[steps][width];
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < width; j++) {
                input[t][j] = (float) window[t][j];
            }
        }
        float[][] encoded = encoder.run(input);
        float[] code = latent.run(encoded)[steps - 1];
        float[][] decoded = decoder.runRepeated(code, steps);
        double error = 0;
        int hidden = decoder.size;
        for (int t = 0; t < steps; t++) {
            float[] h = decoded[t];
            float[] x = input[t];
            for (int j = 0; j < width; j++) {
                float y = outputBias[j];
                for (int k = 0; k < hidden; k++) {
                    y += h[k] * outputWeights[k * width + j];
                }
                double d = y - x[j];
                error += d * d;
                if (featureError != null) {
                    featureError[j] += d * d / steps;
                }
                if (newest != null && t == steps - 1) {
                    newest[j] = y;
                }
            }
        }
        return error / (steps * width);
    }

    /** One LSTM layer without peepholes, as DL4J's {@code LSTM}. */
    private static final class Lstm {
        final int inputs;
        final int size;
        final float[] inputWeights;
        final float[] recurrentWeights;
        final float[] bias;

        Lstm(MultiLayerNetwork network, int layer) {
            this.inputWeights = flat(network.getParam(layer + "_W"));
            this.recurrentWeights = flat(network.getParam(layer + "_RW"));
            this.bias = flat(network.getParam(layer + "_b"));
            this.size = bias.length / 4;
            this.inputs = inputWeights.length / (4 * size);
        }

        /** Hidden state after each step, for a sequence of input vectors. */
        float[][] run(float[][] sequence) {
            float[][] outputs = new float[sequence.length][];
            float[] z = new float[4 * size];
            float[] cell = new float[size];
            float[] hidden = new float[size];
            for (int t = 0; t < sequence.length; t++) {
                System.arraycopy(bias, 0, z, 0, z.length);
                accumulate(z, sequence[t], inputWeights);
                hidden = step(z, cell, hidden);
                outputs[t] = hidden;
            }
            return outputs;
        }

        /** As {@link #run} for the same input at every step: its product with the weights is taken once. */
        float[][] runRepeated(float[] input, int steps) {
            float[] fromInput = bias.clone();
            accumulate(fromInput, input, inputWeights);
            float[][] outputs = new float[steps][];
            float[] z = new float[4 * size];
            float[] cell = new float[size];
            float[] hidden = new float[size];
            for (int t = 0; t < steps; t++) {
                System.arraycopy(fromInput, 0, z, 0, z.length);
                hidden = step(z, cell, hidden);
                outputs[t] = hidden;
            }
            return outputs;
        }

        /** z += x . weights, row by row: the inner loop runs over contiguous weights and vectorizes. */
        private static void accumulate(float[] z, float[] x, float[] weights) {
            int gates = z.length;
            for (int k = 0; k < x.length; k++) {
                float xk = x[k];
                int row = k * gates;
                for (int j = 0; j < gates; j++) {
                    z[j] += xk * weights[row + j];
                }
            }
        }

        /** Adds the recurrent term, applies the gates, updates the cell in place, returns the new hidden state. */
        private float[] step(float[] z, float[] cell, float[] hidden) {
            accumulate(z, hidden, recurrentWeights);
            for (int j = 0; j < size; j++) {
                z[j] = tanh(z[j]);
            }
            for (int j = size; j < z.length; j++) {
                z[j] = 0.5f + 0.5f * tanh(0.5f * z[j]); // sigmoid
            }
            float[] next = new float[size];
            for (int j = 0; j < size; j++) {
                float c = z[size + j] * cell[j] + z[3 * size + j] * z[j];
                cell[j] = c;
                next[j] = z[2 * size + j] * tanh(c);
            }
            return next;
        }
    }

    /**
     * tanh by a [13/6] rational approximation (the one Eigen uses for float), accurate to float precision. No
     * branch and no library call, so the loops above vectorize; Math.tanh is neither intrinsic nor cheap.
     */
    static float tanh(float v) {
        float x = Math.max(-7.9053111f, Math.min(7.9053111f, v));
        float x2 = x * x;
        float p = -2.76076847742355e-16f;
        p = p * x2 + 2.00018790482477e-13f;
        p = p * x2 - 8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        float q = 1.19825839466702e-06f;
        q = q * x2 + 1.18534705686654e-04f;
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        return x * p / q;
    }
}
