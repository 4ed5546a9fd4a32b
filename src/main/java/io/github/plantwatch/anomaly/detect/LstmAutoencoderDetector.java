package io.github.plantwatch.anomaly.detect;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * A DL4J LSTM sequence autoencoder: an encoder LSTM compresses a window of {@code T} vectors into one latent vector,
 * a decoder LSTM rebuilds the window from it. The raw anomaly score is the window's mean squared reconstruction error.
 */
public final class LstmAutoencoderDetector implements Detector, FeatureAttribution {

    public static final String NAME = "lstm_autoencoder";
    private static final Logger LOG = LoggerFactory.getLogger(LstmAutoencoderDetector.class);
    /**
     * Windows per update. DL4J 1.0.0-M2.1's LSTM pays a fixed cost of milliseconds per call whatever its size, so
     * training time is the number of calls: 512 trains 2,000 rows (20 epochs) in about 4 s where 64 took 13-16 s,
     * with the same accuracy over three training seeds (docs/accuracy.md "Spread over training seeds").
     */
    private static final int MINIBATCH = 512;
    private static final int HIDDEN = 16;
    private static final AtomicBoolean NATIVE_THREADS_LIMITED = new AtomicBoolean();

    private final int window;
    private final int width;
    /**
     * The DL4J network, only in a freshly trained detector (the reference of the tests): loaded sets score with
     * {@link #inference} alone, from the weights (the network's parameters live off the heap, and a loaded set
     * should cost what it uses).
     */
    private final MultiLayerNetwork network;
    private final LstmForwardPass inference;

    private LstmAutoencoderDetector(int window, int width, MultiLayerNetwork network) {
        this.window = window;
        this.width = width;
        this.network = network;
        this.inference = new LstmForwardPass(network);
    }

    private LstmAutoencoderDetector(int window, int width, LstmForwardPass inference) {
        this.window = window;
        this.width = width;
        this.network = null;
        this.inference = inference;
    }

    static LstmAutoencoderDetector read(ParameterSource in, int width) {
        int window = in.integer("window");
        ModelFormatException.require(window >= 1 && window <= 10_000, NAME, "window of " + window + " steps");
        return new LstmAutoencoderDetector(window, width, new LstmForwardPass(in, width));
    }

    @Override
    public void write(ParameterSink out) {
        out.integer("window", window);
        inference.write(out);
    }

    /**
     * Trains on every window of {@code window} consecutive rows (rows are taken to be in time order).
     *
     * @param onEpoch called after each epoch with its number, for progress reporting
     */
    public static LstmAutoencoderDetector fit(double[][] rows, int window, int epochs, long seed, IntConsumer onEpoch) {
        limitNativeThreads();
        int width = rows[0].length;
        int latent = Math.max(2, Math.min(8, width));
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(5e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new LastTimeStep(new LSTM.Builder().nOut(latent).activation(Activation.TANH).build()))
                .layer(new RepeatVector.Builder(window).build())
                .layer(new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(width).build())
                .setInputType(InputType.recurrent(width, window))
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();

        INDArray windows = toTensor(Windows.sliding(rows, window), window, width);
        DataSet all = new DataSet(windows, windows);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            all.shuffle(seed + epoch);
            List<DataSet> batches = all.batchBy(MINIBATCH);
            for (DataSet batch : batches) {
                network.fit(batch);
            }
            LOG.info("LSTM autoencoder epoch {}/{}: loss={}", epoch, epochs, String.format("%.5f", network.score()));
            onEpoch.accept(epoch);
        }
        return new LstmAutoencoderDetector(window, width, network);
    }

    /** [n][T][f] to DL4J's recurrent layout [n, f, T]. */
    private static INDArray toTensor(double[][][] windows, int window, int width) {
        float[] flat = new float[windows.length * width * window];
        for (int i = 0; i < windows.length; i++) {
            int base = i * width * window;
            for (int t = 0; t < window; t++) {
                double[] vector = windows[i][t];
                for (int j = 0; j < width; j++) {
                    flat[base + j * window + t] = (float) vector[j];
                }
            }
        }
        return Nd4j.create(flat, new long[]{windows.length, width, window}, 'c');
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int windowLength() {
        return window;
    }

    /** Scored by the plain-Java pass over the trained weights: same numbers as DL4J, no per-call overhead. */
    @Override
    public double[] rawScores(double[][][] windows) {
        return inference.reconstruct(windows, null, null);
    }

    /** Per-feature reconstruction error and the reconstruction of the newest vector, from the scoring pass itself. */
    @Override
    public double[] explain(double[][][] windows, double[] featureError, double[] expected) {
        return inference.reconstruct(windows, featureError, expected);
    }

    /** DL4J's own forward pass, batched: the reference the plain-Java pass is tested against. */
    double[] rawScoresWithDl4j(double[][][] windows) {
        INDArray input = toTensor(windows, window, width);
        INDArray reconstruction;
        synchronized (this) { // MultiLayerNetwork.output is not thread-safe
            reconstruction = network.output(input, false);
        }
        INDArray error = reconstruction.subi(input).muli(reconstruction).mean(1, 2);
        return error.castTo(DataType.DOUBLE).toDoubleVector();
    }

    /**
     * Loads ND4J's native backend and DL4J's classes ahead of the first training (a tiny network, one step), which
     * otherwise pays for them: about 0.3 s of a fresh service's first 2,000-row training. On a thread of its own
     * whose context class loader is this class's: ND4J finds its backend through it, and under {@code camel run} the
     * thread that wires the service has another one (a failed ND4J initialization cannot be retried in the JVM).
     */
    public static Thread warmUpInBackground() {
        Thread thread = Thread.ofPlatform().name("training-warm-up").daemon().priority(Thread.MIN_PRIORITY)
                .unstarted(() -> {
                    double[][] rows = new double[8][2];
                    for (int i = 0; i < rows.length; i++) {
                        rows[i][0] = i;
                        rows[i][1] = -i;
                    }
                    fit(rows, 2, 1, 0, epoch -> { });
                });
        thread.setContextClassLoader(LstmAutoencoderDetector.class.getClassLoader());
        thread.start();
        return thread;
    }

    /**
     * ND4J's native code runs as many OpenMP threads as there are cores, and on a small machine they fight the
     * consumer threads and each other (2 cores: 2,000 rows trained in 29-34 s, 8-12 s with one thread). Unless the
     * operator set {@code OMP_NUM_THREADS}, the first training limits them to one: the service needs no variable.
     */
    private static void limitNativeThreads() {
        if (System.getenv("OMP_NUM_THREADS") == null && NATIVE_THREADS_LIMITED.compareAndSet(false, true)) {
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
            LOG.info("ND4J native threads limited to 1 (OMP_NUM_THREADS chooses otherwise)");
        }
    }
}
