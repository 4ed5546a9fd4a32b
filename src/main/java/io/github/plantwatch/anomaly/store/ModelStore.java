package io.github.plantwatch.anomaly.store;

import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.contract.ModelSetSummary;
import io.github.plantwatch.anomaly.detect.ModelScope;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Persists model sets under the model directory ({@code MODEL_DIR}): the global set in the directory itself (as
 * before scopes existed), a group's in {@code groups/<name>/}, an asset's in {@code assets/<asset_id>/} (names
 * URL-encoded).
 * <p>
 * File layout: the portable model-set format ({@link ModelSetFormat}, {@code docs/model-format.md}). A save
 * writes a temporary file, forces it to disk and renames it over {@code model-set.bin}; the file it replaces is
 * kept as {@code model-set.previous.bin}. A load that finds the current file missing, truncated or with a bad
 * checksum says so and falls back to the previous one. Beside each scoped set, {@code model-set.json} summarizes it
 * (scope, version, members, size) so the service can list every set without loading it.
 */
public final class ModelStore {

    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    /** Larger files are refused unread: the biggest sets measured are a few MB (docs/model-format.md). */
    static final long MAX_FILE_BYTES = 256L << 20;
    static final String CURRENT = "model-set.bin";
    static final String PREVIOUS = "model-set.previous.bin";
    static final String SUMMARY = "model-set.json";
    private static final String GROUPS = "groups";
    private static final String ASSETS = "assets";

    private final Path directory;

    public ModelStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Saves the set in its scope's directory; returns its summary (as written beside it). */
    public synchronized ModelSetSummary save(ModelSet models) throws IOException {
        Path folder = folder(models.scope());
        Files.createDirectories(folder);
        byte[] file = ModelSetFormat.encode(models);
        Path temporary = folder.resolve(CURRENT + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(file));
            channel.force(true);
        }
        Path current = folder.resolve(CURRENT);
        if (Files.exists(current)) {
            Files.move(current, folder.resolve(PREVIOUS), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(temporary, current, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(folder);
        LOG.info("Saved model set {} v{} to {} ({} bytes)", models.scope(), models.version(), current, file.length);
        ModelSetSummary summary = summary(models, file.length, false);
        if (models.scope().kind() != ModelScope.Kind.GLOBAL) {
            Path summaryTemporary = folder.resolve(SUMMARY + ".tmp");
            Files.write(summaryTemporary, JsonCodec.mapper().writeValueAsBytes(summary));
            Files.move(summaryTemporary, folder.resolve(SUMMARY), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        return summary;
    }

    /** The newest loadable global model set, or empty when there is none. */
    public Optional<ModelSet> load() {
        return load(ModelScope.GLOBAL);
    }

    /**
     * The newest loadable model set of a scope, or empty when there is none. A current file that cannot be used is
     * logged at ERROR with the reason, and so is the fallback to the previous one: the service then scores with
     * older models, which an operator must know.
     */
    public Optional<ModelSet> load(ModelScope scope) {
        Path folder = folder(scope);
        Path current = folder.resolve(CURRENT);
        Optional<ModelSet> models = Files.exists(current) ? tryRead(current) : Optional.empty();
        if (models.isPresent()) {
            return models;
        }
        Path previous = folder.resolve(PREVIOUS);
        if (Files.exists(previous)) {
            models = tryRead(previous);
            models.ifPresent(m -> LOG.error("Using the previous model set v{} ({}) from {}: {} is {}", m.version(),
                    m.scope(), previous, current, Files.exists(current) ? "unusable" : "missing"));
        }
        return models;
    }

    /** The set a scope's last save replaced ({@code model-set.previous.bin}), or empty when there is none. */
    public Optional<ModelSet> previous(ModelScope scope) {
        Path previous = folder(scope).resolve(PREVIOUS);
        return Files.exists(previous) ? tryRead(previous) : Optional.empty();
    }

    private static Optional<ModelSet> tryRead(Path file) {
        try {
            ModelSet models = read(file);
            LOG.info("Loaded model set {} v{} ({}) from {}", models.scope(), models.version(),
                    String.join(", ", models.models().stream().map(TrainedModel::name).toList()), file);
            return Optional.of(models);
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot load model file {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** The renames are durable only once the directory itself is on disk (a power cut could undo them). */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the renames are still atomic, only less durable
            LOG.debug("Could not sync directory {}: {}", directory, e.getMessage());
        }
    }

    /**
     * The summaries of every group and asset set on disk, read without loading the sets. A set whose summary is
     * missing or unreadable (a crash between the two writes) is loaded once to rebuild it.
     */
    public List<ModelSetSummary> scopedSummaries() {
        List<ModelSetSummary> summaries = new ArrayList<>();
        for (ModelScope.Kind kind : List.of(ModelScope.Kind.GROUP, ModelScope.Kind.ASSET)) {
            Path parent = directory.resolve(kind == ModelScope.Kind.GROUP ? GROUPS : ASSETS);
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> folders = Files.list(parent)) {
                for (Path folder : folders.sorted().toList()) {
                    ModelScope scope = new ModelScope(kind, URLDecoder.decode(folder.getFileName().toString(),
                            StandardCharsets.UTF_8));
                    readSummary(folder).or(() -> load(scope).map(set -> summary(set, sizeOf(folder), false)))
                            .ifPresent(summaries::add);
                }
            } catch (IOException e) {
                LOG.error("Cannot list model sets in {}: {}", parent, e.getMessage());
            }
        }
        return summaries;
    }

    private static Optional<ModelSetSummary> readSummary(Path folder) {
        Path file = folder.resolve(SUMMARY);
        if (!Files.exists(file) || !Files.exists(folder.resolve(CURRENT))) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonCodec.mapper().readValue(file.toFile(), ModelSetSummary.class));
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}; loading the model set instead", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static long sizeOf(Path folder) {
        try {
            return Files.size(folder.resolve(CURRENT));
        } catch (IOException e) {
            return 0;
        }
    }

    public static ModelSetSummary summary(ModelSet models, long payloadBytes, boolean loaded) {
        return new ModelSetSummary(models.scope().key(), models.version(), models.trainedAt().toString(),
                models.featureNames(), models.members(),
                models.models().stream().map(m -> new ModelSetSummary.Model(m.name(), m.calibration().threshold(),
                        m.trainingRows())).toList(),
                ModelFootprint.estimate(payloadBytes), loaded);
    }

    private Path folder(ModelScope scope) {
        return switch (scope.kind()) {
            case GLOBAL -> directory;
            case GROUP -> directory.resolve(GROUPS).resolve(encode(scope.name()));
            case ASSET -> directory.resolve(ASSETS).resolve(encode(scope.name()));
        };
    }

    /** A file name for any asset or group name: URL-encoded, dots too (no "." or ".." folder). */
    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace(".", "%2E").replace("*", "%2A");
    }

    static ModelSet read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException("file of " + size + " bytes, over the " + MAX_FILE_BYTES + "-byte limit");
        }
        return ModelSetFormat.decode(Files.readAllBytes(file));
    }
}
