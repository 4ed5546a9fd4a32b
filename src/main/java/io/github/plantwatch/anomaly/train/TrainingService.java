package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.contract.TrainingReport;
import io.github.plantwatch.anomaly.detect.ModelScope;
import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.detect.TrainedModel;
import io.github.plantwatch.anomaly.observe.ServiceMetrics;
import io.github.plantwatch.anomaly.store.ModelStore;
import io.github.plantwatch.anomaly.stream.RetrainingJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
    private final ModelInstaller installer;
    private final ServiceMetrics metrics;
    private final ReentrantLock running = new ReentrantLock();
    private final Object installing = new Object();
    private volatile String progress = "idle";

    /** @param installer the model log every instance reads, or this instance's own {@link LocalInstaller} */
    public TrainingService(TrainingRequestParser parser, ModelTrainer trainer, ModelStore store,
                           ModelRegistry registry, ModelInstaller installer, ServiceMetrics metrics) {
        this.parser = parser;
        this.trainer = trainer;
        this.store = store;
        this.registry = registry;
        this.installer = installer;
        this.metrics = metrics;
    }

    /**
     * A validated training request (a group keeps the members it had).
     *
     * @throws InvalidTrainingRequestException naming what is wrong with the body (400, 413)
     */
    public TrainingRequest prepare(byte[] body) {
        return withPreviousMembers(parser.parse(body));
    }

    /** Trains, installs and reports a prepared request; one at a time (409 for a second one meanwhile). */
    public TrainingReport train(TrainingRequest request) {
        if (!running.tryLock()) {
            throw new InvalidTrainingRequestException(409, "a training run is already in progress ("
                    + progress + "); retry when it has finished");
        }
        long started = System.currentTimeMillis();
        String outcome = "failed";
        try {
            LOG.info("Training model set {} on {} rows x {} features: {}", request.scope(),
                    request.data().length, request.featureNames().size(),
                    String.join(", ", request.settings().models()));
            ModelSet models = install(trainer.train(request, 0, this::progress)); // the version is given at install
            LOG.info("Model set {} v{} in service", models.scope(), models.version());
            outcome = "succeeded";
            return report(models);
        } catch (InvalidTrainingRequestException e) {
            outcome = "refused";
            throw e;
        } catch (TrainingCancelledException e) {
            outcome = "cancelled";
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model set; the previous one stays in service", e);
        } finally {
            metrics.trainingRun(outcome, System.currentTimeMillis() - started);
            progress = "idle";
            running.unlock();
        }
    }

    /**
     * Puts a set in service under its scope's next version (training over HTTP and retraining may finish in either
     * order; a version always names one installation).
     */
    private ModelSet install(ModelSet trained) throws IOException {
        synchronized (installing) {
            return installer.install(trained);
        }
    }

    /**
     * Runs one automatic retraining job (on the retraining thread): trains the candidate, checks it on the
     * stream's newest records, and promotes it when it does at least as well as the set in service.
     *
     * @return the outcome: {@code promoted} or {@code kept}
     */
    public String retrain(RetrainingJob job, Retraining retraining) throws IOException {
        Retraining.Decision decision = retraining.run(job, 0);
        String checked = String.format(java.util.Locale.ROOT, "%.1f %% of the newest %d records anomalous against "
                + "%.1f %% for %s v%d", 100 * decision.candidateAnomalous(), job.shadowRows().length,
                100 * decision.inServiceAnomalous(), job.inService().scope(), job.inService().version());
        if (!decision.promote()) {
            LOG.info("Retraining ({}) of asset {} on {} records: candidate kept out of service, {}", job.reason(),
                    job.assetId(), job.trainingRows().length, checked);
            return "kept";
        }
        ModelSet promoted = install(decision.candidate());
        LOG.info("Retraining ({}) of asset {} on {} records: promoted {} v{}, {}", job.reason(), job.assetId(),
                job.trainingRows().length, promoted.scope(), promoted.version(), checked);
        return "promoted";
    }

    /**
     * Installs a set whose ensemble threshold was recalibrated in service, when its scope is still served by the
     * version it was recalibrated from (another instance may have installed its own recalibration, or a training a
     * new set, meanwhile).
     *
     * @return the set now in service under the scope's next version, or empty when it was not installed
     */
    public Optional<ModelSet> recalibrate(ModelSet recalibrated) throws IOException {
        synchronized (installing) {
            Optional<ModelSet> current = registry.scoped(recalibrated.scope());
            if (current.isEmpty() || current.get().version() != recalibrated.recalibratedFrom()) {
                LOG.info("Recalibration of {} v{} not installed: {} is now served by {}", recalibrated.scope(),
                        recalibrated.recalibratedFrom(), recalibrated.scope(),
                        current.map(set -> "v" + set.version()).orElse("no set"));
                return Optional.empty();
            }
            ModelSet installed = install(recalibrated);
            LOG.info("Ensemble threshold of {} v{} recalibrated on the final scores of {} records judged normal in "
                            + "service: {} -> {}; in service as v{}", recalibrated.scope(),
                    recalibrated.recalibratedFrom(), recalibrated.provenance().get(ModelSet.RECALIBRATION_RECORDS),
                    String.format(java.util.Locale.ROOT, "%.4f", current.get().ensembleThreshold()),
                    String.format(java.util.Locale.ROOT, "%.4f", installed.ensembleThreshold()), installed.version());
            return Optional.of(installed);
        }
    }

    /**
     * Returns an asset to the set it had before its current one: the asset's previous own set, or, when it had
     * none, a copy of the set it would share (its group's or the global one). Installed under the next version.
     *
     * @return the set now in service, or empty when the asset has no set of its own to roll back
     */
    public Optional<ModelSet> rollback(String assetId) throws IOException {
        ModelScope scope = ModelScope.asset(assetId);
        synchronized (installing) {
            if (registry.scoped(scope).isEmpty()) {
                return Optional.empty();
            }
            Optional<ModelSet> previous = store.previous(scope).or(() -> registry.sharedFor(assetId));
            if (previous.isEmpty()) {
                return Optional.empty();
            }
            ModelSet restored = install(previous.get().as(scope, 0));
            LOG.warn("Asset {} rolled back to the model set trained at {} (was {} v{}), in service as {} v{}",
                    assetId, previous.get().trainedAt(), previous.get().scope(), previous.get().version(),
                    restored.scope(), restored.version());
            return Optional.of(restored);
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

    /** Also where a training notices that the service is stopping (its thread interrupted, between epochs). */
    private void progress(String step) {
        if (Thread.currentThread().isInterrupted()) {
            throw new TrainingCancelledException();
        }
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
