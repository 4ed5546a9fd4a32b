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
 * blocks in the order block input (tanh), forget, output, input (sigmoid).
 */
final class LstmForwardPass {

    private final Lstm encoder;
    private final Lstm latent;
    private final Lstm decoder;
    private final double[] outputWeights;
    private final double[] outputBias;
    private final int width;

    LstmForwardPass(MultiLayerNetwork network) {
        this.encoder = new Lstm(network, 0);
        this.latent = new Lstm(network, 1);
        this.decoder = new Lstm(network, 3);
        this.outputWeights = flat(network.getParam("4_W"));
        this.outputBias = flat(network.getParam("4_b"));
        this.width = outputBias.length;
    }

    private static double[] flat(INDArray parameter) {
        return parameter.dup('c').reshape(parameter.length()).toDoubleVector();
    }

    /** Mean squared reconstruction error of one window of {@code T} vectors of {@code width} values. */
    double reconstructionError(double[][] window) {
        int steps = window.length;
        double[][] encoded = encoder.run(window);
        double[] code = latent.run(encoded)[steps - 1];
        double[][] codes = new double[steps][];
        java.util.Arrays.fill(codes, code);
        double[][] decoded = decoder.run(codes);
        double error = 0;
        int hidden = decoder.size;
        for (int t = 0; t < steps; t++) {
            double[] h = decoded[t];
            double[] x = window[t];
            for (int j = 0; j < width; j++) {
                double y = outputBias[j];
                for (int k = 0; k < hidden; k++) {
                    y += h[k] * outputWeights[k * width + j];
                }
                double d = y - x[j];
                error += d * d;
            }
        }
        return error / (steps * width);
    }

    /** One LSTM layer without peepholes, as DL4J's {@code LSTM}. */
    private static final class Lstm {
        final int inputs;
        final int size;
        final double[] inputWeights;
        final double[] recurrentWeights;
        final double[] bias;

        Lstm(MultiLayerNetwork network, int layer) {
            this.inputWeights = flat(network.getParam(layer + "_W"));
            this.recurrentWeights = flat(network.getParam(layer + "_RW"));
            this.bias = flat(network.getParam(layer + "_b"));
            this.size = bias.length / 4;
            this.inputs = inputWeights.length / (4 * size);
        }

        /** Hidden state after each step, for a sequence of input vectors. */
        double[][] run(double[][] sequence) {
            int gates = 4 * size;
            double[] z = new double[gates];
            double[] cell = new double[size];
            double[] hidden = new double[size];
            double[][] outputs = new double[sequence.length][];
            for (int t = 0; t < sequence.length; t++) {
                System.arraycopy(bias, 0, z, 0, gates);
                double[] x = sequence[t];
                // row-wise accumulation: the inner loop runs over contiguous weights, which the JIT vectorizes
                for (int k = 0; k < inputs; k++) {
                    double xk = x[k];
                    int row = k * gates;
                    for (int j = 0; j < gates; j++) {
                        z[j] += xk * inputWeights[row + j];
                    }
                }
                for (int k = 0; k < size; k++) {
                    double hk = hidden[k];
                    int row = k * gates;
                    for (int j = 0; j < gates; j++) {
                        z[j] += hk * recurrentWeights[row + j];
                    }
                }
                double[] next = new double[size];
                for (int j = 0; j < size; j++) {
                    double blockInput = Math.tanh(z[j]);
                    double forget = sigmoid(z[size + j]);
                    double output = sigmoid(z[2 * size + j]);
                    double input = sigmoid(z[3 * size + j]);
                    cell[j] = forget * cell[j] + input * blockInput;
                    next[j] = output * Math.tanh(cell[j]);
                }
                hidden = next;
                outputs[t] = next;
            }
            return outputs;
        }

        private static double sigmoid(double v) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
    }
}
