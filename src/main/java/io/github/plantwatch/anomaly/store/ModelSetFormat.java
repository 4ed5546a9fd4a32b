package io.github.plantwatch.anomaly.store;

import io.github.plantwatch.anomaly.detect.Detector;
import io.github.plantwatch.anomaly.detect.DetectorFormat;
import io.github.plantwatch.anomaly.detect.ModelFormatException;
import io.github.plantwatch.anomaly.detect.ModelScope;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.ParameterSink;
import io.github.plantwatch.anomaly.detect.ParameterSource;
import io.github.plantwatch.anomaly.detect.Standardizer;
import io.github.plantwatch.anomaly.detect.TailCalibration;
import io.github.plantwatch.anomaly.detect.TrainedModel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The portable model-set format ({@code docs/model-format.md}), the same bytes in a model file and on the model
 * topic: a 7-byte magic {@code PWMODEL}, one ASCII digit naming the format version, the SHA-256 of the payload, and
 * the payload: named, typed fields in a fixed order (the set, its standardizer, then per model its calibration and
 * its detector's numbers). Nothing is Java-deserialized and no library class is read: every detector is rebuilt
 * from plain arrays and checked (lengths, indices, signs) before it can score. A file of format 1 (the Java
 * serialization of versions up to 0.1) or of a format newer than this one is refused with a message saying so.
 */
public final class ModelSetFormat {

    static final byte[] MAGIC = "PWMODEL".getBytes(StandardCharsets.US_ASCII);
    /** The format this version writes and reads. */
    public static final int VERSION = 2;
    static final int HEADER = MAGIC.length + 1 + 32;

    private ModelSetFormat() {
    }

    public static byte[] encode(ModelSet set) {
        byte[] payload = payload(set);
        byte[] file = new byte[HEADER + payload.length];
        System.arraycopy(MAGIC, 0, file, 0, MAGIC.length);
        file[MAGIC.length] = (byte) ('0' + VERSION);
        System.arraycopy(sha256(payload, 0, payload.length), 0, file, MAGIC.length + 1, 32);
        System.arraycopy(payload, 0, file, HEADER, payload.length);
        return file;
    }

    /** @throws ModelFormatException naming why the bytes are not a model set this version can load */
    public static ModelSet decode(byte[] file) {
        if (file.length < MAGIC.length + 1 || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ModelFormatException("not a model set (no PWMODEL header, " + file.length + " bytes)");
        }
        int version = file[MAGIC.length] - '0';
        if (version == 1) {
            throw new ModelFormatException("model format 1 (Java serialization, service 0.1): this version reads "
                    + "format " + VERSION + " only; train the set again");
        }
        if (version != VERSION) {
            throw new ModelFormatException("model format " + (version > 0 && version <= 9 ? version : "unknown")
                    + " is not format " + VERSION + ", the one this version reads: a newer service wrote it");
        }
        if (file.length < HEADER || !Arrays.equals(file, MAGIC.length + 1, HEADER,
                sha256(file, HEADER, file.length - HEADER), 0, 32)) {
            throw new ModelFormatException("checksum mismatch: the model set is corrupt or truncated");
        }
        FieldReader in = new FieldReader(new DataInputStream(new ByteArrayInputStream(file, HEADER,
                file.length - HEADER)), file.length - HEADER);
        ModelSet set = read(in);
        in.end();
        return set;
    }

    private static byte[] payload(ModelSet set) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        FieldWriter out = new FieldWriter(new DataOutputStream(bytes));
        out.text("scope", set.scope().key());
        out.number64("version", set.version());
        out.text("trained_at", set.trainedAt().toString());
        out.texts("feature_names", set.featureNames());
        out.texts("members", set.members());
        out.number("ensemble_threshold", set.ensembleThreshold());
        out.texts("provenance_names", List.copyOf(set.provenance().keySet()));
        out.texts("provenance_values", List.copyOf(set.provenance().values()));
        Standardizer standardizer = set.standardizer();
        out.numbers("standardizer_mean", standardizer.mean());
        out.numbers("standardizer_scale", standardizer.scale());
        int[] wandering = new int[standardizer.wandering().length];
        for (int j = 0; j < wandering.length; j++) {
            wandering[j] = standardizer.wandering()[j] ? 1 : 0;
        }
        out.integers("standardizer_wandering", wandering);
        out.integer("models", set.models().size());
        for (TrainedModel model : set.models()) {
            out.text("model_name", model.name());
            out.text("model_trained_at", model.trainedAt().toString());
            out.integer("training_rows", model.trainingRows());
            out.number64("training_millis", model.trainingMillis());
            TailCalibration calibration = model.calibration();
            out.numbers("calibration_scores", calibration.ascending());
            out.integer("calibration_count", calibration.count());
            out.number("tail_start", calibration.tailStart());
            out.integer("tail_exceedances", calibration.exceedances());
            out.number("tail_scale", calibration.scale());
            out.number("tail_shape", calibration.shape());
            out.number("threshold", calibration.threshold());
            model.detector().write(out);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static ModelSet read(FieldReader in) {
        ModelScope scope;
        try {
            scope = ModelScope.ofKey(in.text("scope"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(e.getMessage());
        }
        long version = in.number64("version");
        Instant trainedAt = in.instant("trained_at");
        List<String> features = in.texts("feature_names");
        List<String> members = in.texts("members");
        double ensembleThreshold = in.number("ensemble_threshold");
        List<String> provenanceNames = in.texts("provenance_names");
        List<String> provenanceValues = in.texts("provenance_values");
        require(provenanceNames.size() == provenanceValues.size(), "provenance names and values differ in number");
        Map<String, String> provenance = new LinkedHashMap<>();
        for (int i = 0; i < provenanceNames.size(); i++) {
            provenance.put(provenanceNames.get(i), provenanceValues.get(i));
        }
        int width = features.size();
        double[] mean = in.numbers("standardizer_mean");
        double[] scale = in.numbers("standardizer_scale");
        int[] wanderingFlags = in.integers("standardizer_wandering");
        require(width > 0 && mean.length == width && scale.length == width && wanderingFlags.length == width,
                "standardizer of another width than the " + width + " feature names");
        boolean[] wandering = new boolean[width];
        for (int j = 0; j < width; j++) {
            require(Double.isFinite(mean[j]) && scale[j] > 0 && Double.isFinite(scale[j]),
                    "feature " + j + " has no finite mean and positive scale");
            wandering[j] = wanderingFlags[j] != 0;
        }
        require(version > 0, "version " + version);
        int count = in.integer("models");
        require(count > 0 && count <= 16, count + " models");
        List<TrainedModel> models = new ArrayList<>(count);
        for (int m = 0; m < count; m++) {
            String name = in.text("model_name");
            Instant modelTrainedAt = in.instant("model_trained_at");
            int rows = in.integer("training_rows");
            long millis = in.number64("training_millis");
            TailCalibration calibration = new TailCalibration(in.numbers("calibration_scores"),
                    in.integer("calibration_count"), in.number("tail_start"), in.integer("tail_exceedances"),
                    in.number("tail_scale"), in.number("tail_shape"), in.number("threshold"));
            require(calibration.ascending().length > 0 && calibration.count() >= calibration.ascending().length
                    && calibration.scale() > 0 && calibration.shape() >= 0 && calibration.shape() < 1,
                    name + ": calibration out of range");
            Detector detector = DetectorFormat.read(name, width, in);
            models.add(new TrainedModel(detector, calibration, modelTrainedAt, rows, millis));
        }
        return new ModelSet(version, trainedAt, features, new Standardizer(mean, scale, wandering), models,
                ensembleThreshold, scope, members, provenance);
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new ModelFormatException(problem);
        }
    }

    static byte[] sha256(byte[] bytes, int from, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, from, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Type tags of the payload's fields. */
    private static final byte INT = 'I';
    private static final byte LONG = 'J';
    private static final byte DOUBLE = 'D';
    private static final byte INTS = 'i';
    private static final byte DOUBLES = 'd';
    private static final byte FLOATS = 'f';
    private static final byte TEXT = 'S';
    private static final byte TEXTS = 'L';

    /** Writes fields: name (modified UTF-8), type tag, value; arrays and lists with a 4-byte count first. */
    static final class FieldWriter implements ParameterSink {
        private final DataOutputStream out;

        FieldWriter(DataOutputStream out) {
            this.out = out;
        }

        private DataOutputStream field(String name, byte type) throws IOException {
            out.writeUTF(name);
            out.writeByte(type);
            return out;
        }

        @Override
        public void integer(String name, int value) {
            run(() -> field(name, INT).writeInt(value));
        }

        void number64(String name, long value) {
            run(() -> field(name, LONG).writeLong(value));
        }

        @Override
        public void number(String name, double value) {
            run(() -> field(name, DOUBLE).writeDouble(value));
        }

        @Override
        public void integers(String name, int[] values) {
            run(() -> {
                field(name, INTS).writeInt(values.length);
                for (int v : values) {
                    out.writeInt(v);
                }
            });
        }

        @Override
        public void numbers(String name, double[] values) {
            run(() -> {
                field(name, DOUBLES).writeInt(values.length);
                for (double v : values) {
                    out.writeDouble(v);
                }
            });
        }

        @Override
        public void floats(String name, float[] values) {
            run(() -> {
                field(name, FLOATS).writeInt(values.length);
                for (float v : values) {
                    out.writeFloat(v);
                }
            });
        }

        void text(String name, String value) {
            run(() -> field(name, TEXT).writeUTF(value));
        }

        void texts(String name, List<String> values) {
            run(() -> {
                field(name, TEXTS).writeInt(values.size());
                for (String v : values) {
                    out.writeUTF(v);
                }
            });
        }

        void flush() {
            run(out::flush);
        }

        private interface Write {
            void run() throws IOException;
        }

        private static void run(Write write) {
            try {
                write.run();
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory cannot fail", e);
            }
        }
    }

    /**
     * Reads fields back, each checked against the name and type the reader expects; counts are checked against
     * the bytes left, so a forged count cannot make it allocate more than the payload holds.
     */
    static final class FieldReader implements ParameterSource {
        private final DataInputStream in;
        private long left;

        FieldReader(DataInputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        private void field(String name, byte type) throws IOException {
            String found = in.readUTF();
            left -= 2 + found.getBytes(StandardCharsets.UTF_8).length;
            byte tag = in.readByte();
            left -= 1;
            if (!found.equals(name) || tag != type) {
                throw new ModelFormatException("expected field '" + name + "' (" + (char) type + "), found '"
                        + io.github.plantwatch.anomaly.contract.Excerpt.of(found) + "' (" + (char) tag + ")");
            }
        }

        private int count(String name, int bytesEach) throws IOException {
            int count = in.readInt();
            left -= 4;
            if (count < 0 || (long) count * bytesEach > left) {
                throw new ModelFormatException("field '" + name + "' claims " + count + " values, more than the "
                        + left + " bytes left");
            }
            left -= (long) count * bytesEach;
            return count;
        }

        private interface Read<T> {
            T read() throws IOException;
        }

        private static <T> T run(String name, Read<T> read) {
            try {
                return read.read();
            } catch (EOFException e) {
                throw new ModelFormatException("the model set ends inside field '" + name + "'");
            } catch (IOException e) {
                throw new ModelFormatException("field '" + name + "' is unreadable: " + e.getMessage());
            }
        }

        @Override
        public int integer(String name) {
            return run(name, () -> {
                field(name, INT);
                left -= 4;
                return in.readInt();
            });
        }

        long number64(String name) {
            return run(name, () -> {
                field(name, LONG);
                left -= 8;
                return in.readLong();
            });
        }

        @Override
        public double number(String name) {
            return run(name, () -> {
                field(name, DOUBLE);
                left -= 8;
                return in.readDouble();
            });
        }

        @Override
        public int[] integers(String name) {
            return run(name, () -> {
                field(name, INTS);
                int[] values = new int[count(name, 4)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.readInt();
                }
                return values;
            });
        }

        @Override
        public double[] numbers(String name) {
            return run(name, () -> {
                field(name, DOUBLES);
                double[] values = new double[count(name, 8)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.readDouble();
                }
                return values;
            });
        }

        @Override
        public float[] floats(String name) {
            return run(name, () -> {
                field(name, FLOATS);
                float[] values = new float[count(name, 4)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.readFloat();
                }
                return values;
            });
        }

        String text(String name) {
            return run(name, () -> {
                field(name, TEXT);
                String value = in.readUTF();
                left -= 2 + value.getBytes(StandardCharsets.UTF_8).length;
                return value;
            });
        }

        Instant instant(String name) {
            String value = text(name);
            try {
                return Instant.parse(value);
            } catch (RuntimeException e) {
                throw new ModelFormatException("field '" + name + "' is not a time: "
                        + io.github.plantwatch.anomaly.contract.Excerpt.of(value));
            }
        }

        List<String> texts(String name) {
            return run(name, () -> {
                field(name, TEXTS);
                int count = count(name, 2);
                left += 2L * count; // each string's own length is counted as it is read
                List<String> values = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String value = in.readUTF();
                    left -= 2 + value.getBytes(StandardCharsets.UTF_8).length;
                    values.add(value);
                }
                return values;
            });
        }

        void end() {
            run("end", () -> {
                if (in.read() != -1) {
                    throw new ModelFormatException("bytes after the last model: not a set this version wrote");
                }
                return null;
            });
        }
    }
}
