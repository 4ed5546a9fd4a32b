package io.github.plantwatch.anomaly.detect;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The trained LSTM autoencoder's inference in plain Java, from the network's weights. DL4J 1.0.0-M2.1 has no
 * native LSTM kernel on CPU, so each of its calls pays a fixed cost of milliseconds whatever the batch; this pass
 * gets cheaper per window as the batch grows (chunks of {@value #CHUNK}; below {@value #BATCH_FROM} windows, one
 * window at a time is cheaper: figures at {@link #BATCH_FROM}) and matches DL4J to float precision (tested).
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

    /** The pass as {@link #write} wrote it, every matrix checked against the layer sizes. */
    LstmForwardPass(ParameterSource in, int width) {
        this.encoder = new Lstm(in, "encoder", width);
        this.latent = new Lstm(in, "latent", encoder.size);
        this.decoder = new Lstm(in, "decoder", latent.size);
        this.outputWeights = in.floats("output_W");
        this.outputBias = in.floats("output_b");
        this.width = outputBias.length;
        ModelFormatException.require(width == outputBias.length
                && outputWeights.length == (long) decoder.size * width, LstmAutoencoderDetector.NAME,
                "output layer is not " + decoder.size + " x " + width);
    }

    /** DL4J's parameter layouts, flat: W [nIn, 4n], RW [n, 4n], b [4n] per LSTM; the output's W [n, width], b. */
    void write(ParameterSink out) {
        encoder.write(out, "encoder");
        latent.write(out, "latent");
        decoder.write(out, "decoder");
        out.floats("output_W", outputWeights);
        out.floats("output_b", outputBias);
    }

    private static float[] flat(INDArray parameter) {
        return parameter.dup('c').reshape(parameter.length()).toFloatVector();
    }

    /** Windows scored together: enough for long vector loops, few enough that a chunk's state stays in L2. */
    static final int CHUNK = 256;
    /**
     * Fewer windows than this are scored one at a time ({@link Sequence}). JMH (DetectorScoringBenchmark, window 10,
     * 5 features): one at a time 17-19 us per window whatever their number; a chunk 69 us for 1, 24 us each for 8,
     * 15 for 16, 12 for 24, 9 for 32, 5 for 128. They cross between 12 and 16.
     */
    static final int BATCH_FROM = 12;

    /**
     * Mean squared reconstruction error of each window ({@code T} vectors of {@code width} values). When the arrays
     * are given (row-major, {@code windows.length * width}): {@code featureError[i * width + j]} = feature j's mean
     * squared error over window i (a window's average to its error), {@code newest[i * width + j]} = the
     * reconstruction of window i's newest vector. Both come out of the same pass, at no extra cost.
     * <p>
     * The windows are computed together, batch-innermost: each unit (gate, cell, feature) holds one row with a value
     * per window, and every weight scales a whole row in one loop. Every loop indexes its rows by the window alone,
     * which is what lets the JIT prove them independent and vectorize them; one window at a time, the loops would
     * run over 4 x 16 gates with offsets the JIT cannot prove apart, and stay scalar.
     */
    double[] reconstruct(double[][][] windows, double[] featureError, double[] newest) {
        double[] errors = new double[windows.length];
        if (windows.length == 0) {
            return errors;
        }
        if (windows.length < BATCH_FROM) {
            Sequence sequence = new Sequence();
            for (int i = 0; i < windows.length; i++) {
                errors[i] = sequence.run(windows[i], i, featureError, newest);
            }
            return errors;
        }
        Chunk chunk = new Chunk(windows[0].length, Math.min(CHUNK, windows.length));
        for (int from = 0; from < windows.length; from += CHUNK) {
            chunk.run(windows, from, Math.min(CHUNK, windows.length - from), errors, featureError, newest);
        }
        return errors;
    }

    /**
     * One window at a time, unit-innermost: each input scales a whole row of a weight matrix (DL4J's layout puts a
     * row's weights side by side), so the loops run over the 4 x 16 gates and vectorize without a batch. The same
     * sums in the same order as {@link Chunk}, so the same numbers bit for bit; cheaper than a chunk of few windows,
     * whose loops over the windows are too short to pay their set-up (a stream per round: few streams, few windows).
     */
    private final class Sequence {
        private final float[] x = new float[width];
        private final float[] encoderHidden = new float[encoder.size];
        private final float[] encoderCell = new float[encoder.size];
        private final float[] encoderGates = new float[4 * encoder.size];
        private final float[] latentHidden = new float[latent.size];
        private final float[] latentCell = new float[latent.size];
        private final float[] latentGates = new float[4 * latent.size];
        private final float[] decoderHidden = new float[decoder.size];
        private final float[] decoderCell = new float[decoder.size];
        private final float[] decoderGates = new float[4 * decoder.size];
        private final float[] fromCode = new float[4 * decoder.size];
        private final float[] output = new float[width];

        /** The window's mean squared error; its per-feature errors and newest reconstruction as {@link Chunk}'s. */
        double run(double[][] window, int index, double[] featureError, double[] newest) {
            int steps = window.length;
            Arrays.fill(encoderHidden, 0f);
            Arrays.fill(encoderCell, 0f);
            Arrays.fill(latentHidden, 0f);
            Arrays.fill(latentCell, 0f);
            Arrays.fill(decoderHidden, 0f);
            Arrays.fill(decoderCell, 0f);
            for (double[] vector : window) {
                for (int j = 0; j < width; j++) {
                    x[j] = (float) vector[j];
                }
                encoder.inputTerm(x, encoderGates);
                encoder.recurrentStep(encoderGates, encoderHidden, encoderCell);
                latent.inputTerm(encoderHidden, latentGates);
                latent.recurrentStep(latentGates, latentHidden, latentCell);
            }
            decoder.inputTerm(latentHidden, fromCode);
            double error = 0;
            for (int t = 0; t < steps; t++) {
                System.arraycopy(fromCode, 0, decoderGates, 0, fromCode.length);
                decoder.recurrentStep(decoderGates, decoderHidden, decoderCell);
                System.arraycopy(outputBias, 0, output, 0, width);
                accumulate(output, decoderHidden, outputWeights);
                double[] vector = window[t];
                for (int j = 0; j < width; j++) {
                    double d = output[j] - (float) vector[j];
                    error += d * d;
                    if (featureError != null) {
                        featureError[index * width + j] += d * d / steps;
                    }
                    if (newest != null && t == steps - 1) {
                        newest[index * width + j] = output[j];
                    }
                }
            }
            return error / (steps * width);
        }
    }

    /** The state of one chunk of windows, one row per unit: {@code rows[unit][window]}. */
    private final class Chunk {
        final int steps;
        final float[][][] input;
        final Layer encoderState;
        final Layer latentState;
        final Layer decoderState;
        final float[][] fromCode;
        final float[][] output;
        final double[] error;

        Chunk(int steps, int capacity) {
            this.steps = steps;
            this.input = new float[steps][width][capacity];
            this.encoderState = new Layer(encoder.size, capacity);
            this.latentState = new Layer(latent.size, capacity);
            this.decoderState = new Layer(decoder.size, capacity);
            this.fromCode = new float[4 * decoder.size][capacity];
            this.output = new float[width][capacity];
            this.error = new double[capacity];
        }

        void run(double[][][] windows, int from, int n, double[] errors, double[] featureError, double[] newest) {
            for (int t = 0; t < steps; t++) {
                float[][] x = input[t];
                for (int b = 0; b < n; b++) {
                    double[] vector = windows[from + b][t];
                    for (int j = 0; j < width; j++) {
                        x[j][b] = (float) vector[j];
                    }
                }
            }
            encoderState.clear();
            latentState.clear();
            decoderState.clear();
            Arrays.fill(error, 0);
            for (int t = 0; t < steps; t++) {
                encoder.step(input[t], encoderState, n);
                latent.step(encoderState.hidden, latentState, n);
            }
            // the decoder's input is the code at every step: its product with the weights is taken once
            decoder.inputTerm(latentState.hidden, fromCode, n);
            for (int t = 0; t < steps; t++) {
                for (int g = 0; g < fromCode.length; g++) {
                    System.arraycopy(fromCode[g], 0, decoderState.gates[g], 0, n);
                }
                decoder.recurrentStep(decoderState, n);
                project(decoderState.hidden, n);
                compare(input[t], n, from, featureError, t == steps - 1 ? newest : null);
            }
            for (int b = 0; b < n; b++) {
                errors[from + b] = error[b] / (steps * width);
            }
        }

        /** output = the linear layer applied to the decoder's hidden state. */
        private void project(float[][] hidden, int n) {
            for (int j = 0; j < width; j++) {
                Arrays.fill(output[j], 0, n, outputBias[j]);
            }
            accumulate(output, hidden, outputWeights, n);
        }

        private void compare(float[][] x, int n, int from, double[] featureError, double[] newest) {
            for (int j = 0; j < width; j++) {
                float[] out = output[j];
                float[] in = x[j];
                for (int b = 0; b < n; b++) {
                    double d = out[b] - in[b];
                    error[b] += d * d;
                }
                if (featureError != null) {
                    for (int b = 0; b < n; b++) {
                        double d = out[b] - in[b];
                        featureError[(from + b) * width + j] += d * d / steps;
                    }
                }
                if (newest != null) {
                    for (int b = 0; b < n; b++) {
                        newest[(from + b) * width + j] = out[b];
                    }
                }
            }
        }
    }

    /** y[b] += w * x[b] (all indices equal, so the JIT vectorizes it): {@link #accumulate}'s last inputs. */
    private static void axpy(float w, float[] x, float[] y, int n) {
        for (int b = 0; b < n; b++) {
            y[b] += w * x[b];
        }
    }

    /** A layer's state over a chunk: hidden and cell rows per unit, and the four gate blocks' rows. */
    private static final class Layer {
        final float[][] hidden;
        final float[][] cell;
        final float[][] gates;

        Layer(int size, int capacity) {
            this.hidden = new float[size][capacity];
            this.cell = new float[size][capacity];
            this.gates = new float[4 * size][capacity];
        }

        void clear() {
            for (int k = 0; k < hidden.length; k++) {
                Arrays.fill(hidden[k], 0f);
                Arrays.fill(cell[k], 0f);
            }
        }
    }

    /** One LSTM layer without peepholes, as DL4J's {@code LSTM}, stepping a chunk of {@code n} sequences at once. */
    private static final class Lstm {
        final int size;
        final float[] inputWeights;
        final float[] recurrentWeights;
        final float[] bias;

        Lstm(MultiLayerNetwork network, int layer) {
            this.inputWeights = flat(network.getParam(layer + "_W"));
            this.recurrentWeights = flat(network.getParam(layer + "_RW"));
            this.bias = flat(network.getParam(layer + "_b"));
            this.size = bias.length / 4;
        }

        Lstm(ParameterSource in, String layer, int inputs) {
            this.inputWeights = in.floats(layer + "_W");
            this.recurrentWeights = in.floats(layer + "_RW");
            this.bias = in.floats(layer + "_b");
            this.size = bias.length / 4;
            ModelFormatException.require(size > 0 && bias.length == 4 * size
                    && inputWeights.length == (long) inputs * 4 * size
                    && recurrentWeights.length == (long) size * 4 * size, LstmAutoencoderDetector.NAME,
                    layer + " layer's matrices do not fit " + inputs + " inputs and " + size + " units");
        }

        void write(ParameterSink out, String layer) {
            out.floats(layer + "_W", inputWeights);
            out.floats(layer + "_RW", recurrentWeights);
            out.floats(layer + "_b", bias);
        }

        /** gates = bias + input . W, for one sequence. */
        void inputTerm(float[] input, float[] gates) {
            System.arraycopy(bias, 0, gates, 0, gates.length);
            accumulate(gates, input, inputWeights);
        }

        /** {@link #recurrentStep(Layer, int)} for one sequence: its gates (holding the input term), hidden, cell. */
        void recurrentStep(float[] gates, float[] hidden, float[] cell) {
            accumulate(gates, hidden, recurrentWeights);
            tanh(gates, 0, size);
            sigmoid(gates, size, gates.length);
            for (int j = 0; j < size; j++) {
                cell[j] = gates[size + j] * cell[j] + gates[3 * size + j] * gates[j];
            }
            for (int j = 0; j < size; j++) {
                hidden[j] = tanh(cell[j]) * gates[2 * size + j];
            }
        }

        /** One step: the layer's hidden and cell rows advance in place from this step's input rows. */
        void step(float[][] input, Layer state, int n) {
            inputTerm(input, state.gates, n);
            recurrentStep(state, n);
        }

        /** gates = bias + input . W. */
        void inputTerm(float[][] input, float[][] gates, int n) {
            for (int g = 0; g < gates.length; g++) {
                Arrays.fill(gates[g], 0, n, bias[g]);
            }
            accumulate(gates, input, inputWeights, n);
        }

        /**
         * Adds the recurrent term to the gates (holding the input term), applies them, advances cell and hidden.
         * One small loop per operation: C2 vectorizes only loops it can unroll, i.e. loops with short bodies.
         */
        void recurrentStep(Layer state, int n) {
            float[][] gates = state.gates;
            accumulate(gates, state.hidden, recurrentWeights, n);
            for (int g = 0; g < size; g++) {
                tanh(gates[g], 0, n);
            }
            for (int g = size; g < gates.length; g++) {
                sigmoid(gates[g], 0, n);
            }
            for (int j = 0; j < size; j++) {
                float[] block = gates[j];
                float[] forget = gates[size + j];
                float[] output = gates[2 * size + j];
                float[] input = gates[3 * size + j];
                float[] cell = state.cell[j];
                float[] hidden = state.hidden[j];
                for (int b = 0; b < n; b++) {
                    cell[b] = forget[b] * cell[b] + input[b] * block[b];
                }
                for (int b = 0; b < n; b++) {
                    hidden[b] = tanh(cell[b]);
                }
                for (int b = 0; b < n; b++) {
                    hidden[b] *= output[b];
                }
            }
        }
    }

    /**
     * rows[g][b] += sum_k x[k][b] * weights[k * rows.length + g]: each weight scales one row of the chunk. Row by
     * row, so the row stays in L1 while the input rows stream past it (input by input, every row would pass through
     * L1 for each input), four inputs per pass over the row (one load and one store of it for four products instead
     * of four); each sum still adds its terms in input order, so the numbers are the same bit for bit.
     */
    private static void accumulate(float[][] rows, float[][] x, float[] weights, int n) {
        int columns = rows.length;
        for (int g = 0; g < columns; g++) {
            float[] y = rows[g];
            int k = 0;
            for (; k + 4 <= x.length; k += 4) {
                float w0 = weights[k * columns + g];
                float w1 = weights[(k + 1) * columns + g];
                float w2 = weights[(k + 2) * columns + g];
                float w3 = weights[(k + 3) * columns + g];
                float[] x0 = x[k];
                float[] x1 = x[k + 1];
                float[] x2 = x[k + 2];
                float[] x3 = x[k + 3];
                for (int b = 0; b < n; b++) {
                    y[b] = y[b] + w0 * x0[b] + w1 * x1[b] + w2 * x2[b] + w3 * x3[b];
                }
            }
            for (; k < x.length; k++) {
                axpy(weights[k * columns + g], x[k], y, n);
            }
        }
    }

    /**
     * y[g] += sum_k x[k] * weights[k * y.length + g], for one sequence: input by input, each scaling a contiguous
     * row of weights; each sum adds its terms in input order, as the chunk's
     * {@link #accumulate(float[][], float[][], float[], int)}.
     */
    private static void accumulate(float[] y, float[] x, float[] weights) {
        int columns = y.length;
        for (int k = 0; k < x.length; k++) {
            float xk = x[k];
            int row = k * columns;
            for (int g = 0; g < columns; g++) {
                y[g] += weights[row + g] * xk;
            }
        }
    }

    private static void tanh(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            values[i] = tanh(values[i]);
        }
    }

    /** sigmoid(v) = (1 + tanh(v / 2)) / 2. */
    private static void sigmoid(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            values[i] = 0.5f + 0.5f * tanh(0.5f * values[i]);
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
