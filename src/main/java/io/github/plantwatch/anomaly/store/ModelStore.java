package io.github.plantwatch.anomaly.store;

import io.github.plantwatch.anomaly.detect.ModelSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Persists model sets under the model directory ({@code MODEL_DIR}).
 * <p>
 * File layout: 8-byte magic, 32-byte SHA-256 of the payload, payload (the serialized {@link ModelSet}). A save
 * writes a temporary file, forces it to disk and renames it over {@code model-set.bin}; the file it replaces is
 * kept as {@code model-set.previous.bin}. A load that finds the current file missing, truncated or with a bad
 * checksum says so and falls back to the previous one.
 */
public final class ModelStore {

    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final byte[] MAGIC = "PWMODEL1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 32;
    /** Only the service's own classes, Smile's models and the JDK types they hold may be deserialized. */
    private static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
            "io.github.plantwatch.anomaly.**;smile.**;java.lang.*;java.util.*;java.time.*;maxdepth=64;!*");
    static final String CURRENT = "model-set.bin";
    static final String PREVIOUS = "model-set.previous.bin";

    private final Path directory;

    public ModelStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public synchronized void save(ModelSet models) throws IOException {
        Files.createDirectories(directory);
        byte[] payload = serialize(models);
        Path temporary = directory.resolve(CURRENT + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(MAGIC));
            channel.write(ByteBuffer.wrap(sha256(payload)));
            channel.write(ByteBuffer.wrap(payload));
            channel.force(true);
        }
        Path current = directory.resolve(CURRENT);
        if (Files.exists(current)) {
            Files.move(current, directory.resolve(PREVIOUS), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(temporary, current, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        LOG.info("Saved model set v{} to {} ({} bytes)", models.version(), current, HEADER + payload.length);
    }

    /**
     * The newest loadable model set, or empty when there is none. A current file that cannot be used is logged at
     * ERROR with the reason, and so is the fallback to the previous one: the service then scores with older models,
     * which an operator must know.
     */
    public Optional<ModelSet> load() {
        Path current = directory.resolve(CURRENT);
        Optional<ModelSet> models = Files.exists(current) ? tryRead(current) : Optional.empty();
        if (models.isPresent()) {
            return models;
        }
        Path previous = directory.resolve(PREVIOUS);
        if (Files.exists(previous)) {
            models = tryRead(previous);
            models.ifPresent(m -> LOG.error("Using the previous model set v{} from {}: {} is {}", m.version(),
                    previous, current, Files.exists(current) ? "unusable" : "missing"));
        }
        return models;
    }

    private static Optional<ModelSet> tryRead(Path file) {
        try {
            ModelSet models = read(file);
            LOG.info("Loaded model set v{} ({}) from {}", models.version(),
                    String.join(", ", models.models().stream().map(m -> m.name()).toList()), file);
            return Optional.of(models);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            LOG.error("Cannot load model file {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** The renames are durable only once the directory itself is on disk (a power cut could undo them). */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the renames are still atomic, only less durable
            LOG.debug("Could not sync directory {}: {}", directory, e.getMessage());
        }
    }

    static ModelSet read(Path file) throws IOException, ClassNotFoundException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < HEADER || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("not a model file or truncated header (" + bytes.length + " bytes)");
        }
        byte[] payload = Arrays.copyOfRange(bytes, HEADER, bytes.length);
        if (!Arrays.equals(bytes, MAGIC.length, HEADER, sha256(payload), 0, 32)) {
            throw new IOException("checksum mismatch: the file is corrupt or truncated");
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
            in.setObjectInputFilter(ALLOWED);
            return (ModelSet) in.readObject();
        }
    }

    private static byte[] serialize(ModelSet models) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(models);
        }
        return bytes.toByteArray();
    }

    private static byte[] sha256(byte[] payload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(payload);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
