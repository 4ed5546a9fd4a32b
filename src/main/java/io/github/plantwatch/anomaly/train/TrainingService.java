package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.contract.ModelSetSummary;
import io.github.plantwatch.anomaly.contract.TrainingReport;
import io.github.plantwatch.anomaly.detect.ModelScope;
import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import io.github.plantwatch.anomaly.observe.ServiceMetrics;
import io.github.plantwatch.anomaly.store.ModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One training run at a time: validate, train, persist, then swap into service. A second request while one runs
 * is refused with 409; a run that fails at any step leaves the model set in service untouched.
 */
public final class TrainingService {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);

    private final TrainingRequestParser parser;
    private final ModelTrainer trainer;
    private final ModelStore store;
    private final ModelRegistry registry;
    private final ServiceMetrics metrics;
    private final ReentrantLock running = new ReentrantLock();
    private volatile String progress = "idle";

    public TrainingService(TrainingRequestParser parser, ModelTrainer trainer, ModelStore store,
                           ModelRegistry registry, ServiceMetrics metrics) {
        this.parser = parser;
        this.trainer = trainer;
        this.store = store;
        this.registry = registry;
        this.metrics = metrics;
    }

    public TrainingReport train(byte[] body) {
        if (!running.tryLock()) {
            throw new InvalidTrainingRequestException(409, "a training run is already in progress ("
                    + progress + "); retry when it has finished");
        }
        long started = System.currentTimeMillis();
        String outcome = "failed";
        try {
            TrainingRequest request = withPreviousMembers(parser.parse(body));
            long version = registry.nextVersion(request.scope());
            LOG.info("Training model set {} v{} on {} rows x {} features: {}", request.scope(), version,
                    request.data().length, request.featureNames().size(),
                    String.join(", ", request.settings().models()));
            ModelSet models = trainer.train(request, version, this::progress);
            ModelSetSummary summary = store.save(models);
            registry.install(models, summary.withLoaded(true));
            LOG.info("Model set {} v{} in service", models.scope(), version);
            outcome = "succeeded";
            return report(models);
        } catch (InvalidTrainingRequestException e) {
            outcome = "refused";
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model set; the previous one stays in service", e);
        } finally {
            metrics.trainingRun(outcome, System.currentTimeMillis() - started);
            progress = "idle";
            running.unlock();
        }
    }

    /** A group keeps the members it had: a training run naming some assets adds them. */
    private TrainingRequest withPreviousMembers(TrainingRequest request) {
        if (request.scope().kind() != ModelScope.Kind.GROUP) {
            return request;
        }
        Set<String> members = new LinkedHashSet<>(registry.members(request.scope().name()));
        members.addAll(request.members());
        return new TrainingRequest(request.data(), request.featureNames(), request.settings(), request.scope(),
                List.copyOf(members));
    }

    private void progress(String step) {
        progress = step;
    }

    public boolean isRunning() {
        return running.isLocked();
    }

    public String progress() {
        return progress;
    }

    private static TrainingReport report(ModelSet models) {
        return new TrainingReport(models.version(), models.scope().key(), models.members(),
                models.trainedAt().toString(), models.featureNames(),
                models.models().stream().map(TrainingService::report).toList());
    }

    private static TrainingReport.Model report(TrainedModel model) {
        return new TrainingReport.Model(model.name(), model.calibration().threshold(), model.trainingRows(),
                model.trainingMillis());
    }
}
