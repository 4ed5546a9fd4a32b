package io.github.plantwatch.anomaly;

import io.github.plantwatch.anomaly.alert.AlertFailure;
import io.github.plantwatch.anomaly.alert.AlertPolicy;
import io.github.plantwatch.anomaly.detect.LstmAutoencoderDetector;
import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.http.ApiHandlers;
import io.github.plantwatch.anomaly.http.BodyTooLargeAnswer;
import io.github.plantwatch.anomaly.http.TrainingAccess;
import io.github.plantwatch.anomaly.contract.Feedback;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.contract.MaintenanceWindow;
import io.github.plantwatch.anomaly.http.OperatorApi;
import io.github.plantwatch.anomaly.kafka.ConsumerThreads;
import io.github.plantwatch.anomaly.kafka.ControlLog;
import io.github.plantwatch.anomaly.kafka.FailFastClientFactory;
import io.github.plantwatch.anomaly.kafka.ModelLog;
import io.github.plantwatch.anomaly.observe.AssetActivity;
import io.github.plantwatch.anomaly.stream.FeedbackBook;
import io.github.plantwatch.anomaly.stream.MaintenanceCalendar;
import io.github.plantwatch.anomaly.stream.OperatorRules;
import io.github.plantwatch.anomaly.kafka.StreamStateLog;
import io.github.plantwatch.anomaly.kafka.TopicCreation;
import io.github.plantwatch.anomaly.kafka.TopicProvisioner;
import io.github.plantwatch.anomaly.store.ModelSetFormat;
import io.github.plantwatch.anomaly.store.ModelStore;
import io.github.plantwatch.anomaly.stream.AnomalyScorer;
import io.github.plantwatch.anomaly.stream.DeliveryInvariants;
import io.github.plantwatch.anomaly.observe.StreamingHealthCheck;
import io.github.plantwatch.anomaly.stream.FailedBatchBackoff;
import io.github.plantwatch.anomaly.stream.WrittenTopicsCheck;
import io.github.plantwatch.anomaly.stream.FeatureBatchDecoder;
import io.github.plantwatch.anomaly.stream.OffsetCommitter;
import io.github.plantwatch.anomaly.stream.OwnedPartitions;
import io.github.plantwatch.anomaly.stream.OutboundRecords;
import io.github.plantwatch.anomaly.stream.PipelineGate;
import io.github.plantwatch.anomaly.stream.PipelineStats;
import io.github.plantwatch.anomaly.stream.MessageScorer;
import io.github.plantwatch.anomaly.stream.ThresholdRecalibration;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.BackgroundRecalibration;
import io.github.plantwatch.anomaly.train.BackgroundRetrainer;
import io.github.plantwatch.anomaly.train.LocalInstaller;
import io.github.plantwatch.anomaly.train.ModelInstaller;
import io.github.plantwatch.anomaly.train.Retraining;
import io.github.plantwatch.anomaly.train.TrainingJobs;
import io.github.plantwatch.anomaly.train.TrainingService;
import org.apache.camel.support.service.ServiceSupport;
import io.github.plantwatch.anomaly.observe.ConsumerLagMonitor;
import io.github.plantwatch.anomaly.observe.EpisodeHistory;
import io.github.plantwatch.anomaly.observe.ModelStoreHealthCheck;
import io.github.plantwatch.anomaly.observe.ModelsHealthCheck;
import io.github.plantwatch.anomaly.observe.HealthExposureGuard;
import io.github.plantwatch.anomaly.observe.ResultFeed;
import io.github.plantwatch.anomaly.observe.ServiceMetrics;
import io.github.plantwatch.anomaly.http.EventStreamEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Wires the service's beans from {@code application.properties} and binds them by the names the routes use
 * ({@code ref: ...} in routes/*.camel.yaml, {@code bean("...")} in the Java DSL). Listed in
 * {@code camel.main.configuration-classes}, so Camel Main and {@code camel run} both pick it up.
 */
public final class ServiceConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConfiguration.class);
    /** Room for the x-error-* / x-source-* headers and Kafka's batch overhead around a dead-lettered record. */
    private static final int DEAD_LETTER_HEADROOM = 16 * 1024;
    /**
     * How long the streaming route trusts that the topics it writes exist (WrittenTopicsCheck) while its batches go
     * through: one admin request per interval, against a deleted topic going unnoticed that long (its first batch then
     * fails on its sends' timeouts; the next attempt is checked first).
     */
    private static final Duration WRITTEN_TOPICS_RECHECK = Duration.ofSeconds(10);
    /** How long that check waits for the cluster's answer before leaving the batch to its sends' own timeouts. */
    private static final Duration WRITTEN_TOPICS_ANSWER = Duration.ofSeconds(5);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings settings = new Settings(properties);
        Registry registry = context.getRegistry();
        String inputTopic = settings.required("kafka.topic.input");

        int maxRecordBytes = settings.integer("kafka.max-record-bytes");
        int maxRequestSize = settings.integer("camel.component.kafka.max-request-size");
        if (maxRecordBytes + DEAD_LETTER_HEADROOM > maxRequestSize) {
            throw new IllegalStateException("KAFKA_MAX_RECORD_BYTES (" + maxRecordBytes + ") must be at least "
                    + DEAD_LETTER_HEADROOM + " below KAFKA_MAX_REQUEST_SIZE (" + maxRequestSize + "): a rejected "
                    + "record is copied to the dead-letter topic with its error headers, and a copy the producer "
                    + "refused would fail its batch again and again");
        }
        TopicCreation creation = new TopicCreation(Boolean.parseBoolean(settings.required("kafka.create-topics")),
                settings.integer("kafka.topic.replication-factor"), settings.integer("kafka.topic.min-insync-replicas"));
        if (creation.enabled()) {
            context.addStartupListener(new TopicProvisioner(settings.required("kafka.bootstrap-servers"),
                    List.of(inputTopic, settings.required("kafka.topic.output"),
                            settings.required("kafka.topic.dead-letter"), settings.required("kafka.topic.episodes"),
                            settings.required("kafka.topic.alerts-dead-letter")),
                    settings.integer("kafka.topic.partitions"), maxRequestSize, creation));
        }
        context.addStartupListener(new ConsumerThreads(PipelineGate.ROUTE_ID, settings.required("kafka.bootstrap-servers"),
                inputTopic, settings.integer("kafka.consumer.count"), settings.integer("kafka.topic.partitions")));
        if (Boolean.parseBoolean(settings.required("kafka.enable-auto-commit"))) {
            LOG.warn("KAFKA_ENABLE_AUTO_COMMIT=true: the consumer may commit offsets of records whose results are "
                    + "not yet published; a crash can then lose them. Leave it false unless you accept that.");
        }

        Path modelDirectory = Path.of(settings.required("models.directory"));
        ModelStore store = new ModelStore(modelDirectory);
        ModelRegistry models = new ModelRegistry(store::load, store.scopedSummaries(),
                settings.integer("models.memory-budget-mb") * 1024L * 1024L);
        Optional<ModelSet> global = store.load();
        if (global.isPresent()) {
            models.install(global.get(), ModelStore.summary(global.get(),
                    ModelSetFormat.encode(global.get()).length, true));
        }
        ServiceMetrics metrics = new ServiceMetrics(meterRegistry(registry), models);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(new ModelsHealthCheck(models));
        health.register(new ModelStoreHealthCheck(modelDirectory));
        context.addStartupListener(new HealthExposureGuard(settings.integer("camel.management.port"),
                properties.resolveProperty("camel.health.exposureLevel").orElse("default")));
        ConsumerLagMonitor lag = new ConsumerLagMonitor(settings.required("kafka.bootstrap-servers"),
                settings.required("kafka.consumer-group"), inputTopic, metrics.registry(),
                Long.parseLong(settings.required("metrics.consumer-lag-period-ms")));
        context.addStartupListener(lag);
        context.addService(lag);

        if (models.isEmpty()) {
            // a service waiting for its first training loads the trainer meanwhile; one with models starts scoring
            LstmAutoencoderDetector.warmUpInBackground();
        }
        PipelineStats stats = new PipelineStats(metrics, settings.integer("kafka.consumer.max-poll-records"));
        PipelineGate gate = new PipelineGate(models, inputTopic);
        long retryMaxDelay = Long.parseLong(settings.required("kafka.batch-retry.max-delay-ms"));
        context.addStartupListener(new DeliveryInvariants(PipelineGate.ROUTE_ID, "offsetCommitter", retryMaxDelay));
        WrittenTopicsCheck writtenTopics = new WrittenTopicsCheck(PipelineGate.ROUTE_ID,
                settings.required("kafka.bootstrap-servers"), WRITTEN_TOPICS_RECHECK, WRITTEN_TOPICS_ANSWER);
        context.addStartupListener(writtenTopics);
        context.addService(writtenTopics);
        // and a topic deleted after that check costs its batch one max.block.ms, not one per record
        context.getComponent("kafka", KafkaComponent.class).setKafkaClientFactory(new FailFastClientFactory());
        registry.bind("writtenTopicsCheck", writtenTopics);
        FailedBatchBackoff backoff = new FailedBatchBackoff(PipelineGate.ROUTE_ID,
                settings.integer("kafka.batch-retry.pause-after"),
                Long.parseLong(settings.required("kafka.batch-retry.first-delay-ms")), retryMaxDelay,
                failures -> {
                    metrics.failedBatchesInARow(failures);
                    writtenTopics.failuresInARow(failures);
                });
        context.addRoutePolicyFactory((camelContext, routeId, route) ->
                PipelineGate.ROUTE_ID.equals(routeId) ? backoff : null);
        health.register(new StreamingHealthCheck(backoff));
        context.addStartupListener(gate);
        context.addLifecycleStrategy(gate);
        TrainingService training = new TrainingService(settings.trainingRequestParser(), new ModelTrainer(), store,
                models, installer(context, settings, creation, new LocalInstaller(store, models), gate), metrics);

        registry.bind("featureBatchDecoder", new FeatureBatchDecoder(maxRecordBytes));
        BackgroundRetrainer retrainer = new BackgroundRetrainer(training,
                new Retraining(new ModelTrainer(), settings.trainingDefaults(), settings.scoring()), metrics,
                settings.integer("retraining.queue"), stats::catchingUp, settings.decimal("retraining.cpu-share"));
        BackgroundRecalibration recalibration = new BackgroundRecalibration(training);
        TrainingJobs jobs = new TrainingJobs(training, settings.integer("training.jobs.queue"),
                settings.integer("training.jobs.kept"));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws InterruptedException {
                jobs.close();
                retrainer.close();
                recalibration.close();
            }
        });
        StreamStateLog streamStates = new StreamStateLog(settings.required("kafka.bootstrap-servers"),
                settings.required("kafka.topic.stream-state"), inputTopic,
                creation);
        context.addStartupListener(streamStates);
        context.addService(streamStates);
        MaintenanceCalendar maintenance = new MaintenanceCalendar();
        FeedbackBook feedback = new FeedbackBook();
        ControlLog maintenanceLog = new ControlLog(settings.required("kafka.bootstrap-servers"),
                settings.required("kafka.topic.maintenance"), creation, "the assets' maintenance windows",
                (id, value) -> {
                    if (value == null) {
                        maintenance.remove(id);
                    } else {
                        maintenance.put(JsonCodec.read(value, MaintenanceWindow.class));
                    }
                });
        ControlLog feedbackLog = new ControlLog(settings.required("kafka.bootstrap-servers"),
                settings.required("kafka.topic.feedback"), creation, "the operators' feedback",
                (id, value) -> {
                    if (value != null) {
                        feedback.add(JsonCodec.read(value, Feedback.class));
                    }
                });
        for (ControlLog log : List.of(maintenanceLog, feedbackLog)) {
            context.addStartupListener(log);
            context.addService(log);
            gate.waitFor(log.caughtUp());
        }
        registry.bind("anomalyScorer", new AnomalyScorer(new MessageScorer(models, settings.scoring(), retrainer,
                metrics::scoringCall, new OperatorRules(maintenance, feedback,
                settings.decimal("feedback.envelope-margin"))), streamStates,
                new ThresholdRecalibration(settings.scoring().recalibrationRecords(),
                        settings.scoring().recalibrationWarmUp(), models, recalibration)));
        registry.bind("outboundRecords", new OutboundRecords(context));
        registry.bind("alertPolicy", new AlertPolicy(settings.required("alerts.criticalities"),
                settings.required("alerts.assets"), settings.required("alerts.webhook-format"),
                properties.resolveProperty("alerts.pagerduty-routing-key").orElse("")));
        registry.bind("alertErrorHandler", AlertFailure.errorHandler(
                "kafka:" + settings.required("kafka.topic.alerts-dead-letter") + "?brokers="
                        + settings.required("kafka.bootstrap-servers"),
                settings.integer("alerts.retries"), Long.parseLong(settings.required("alerts.retry-delay-ms")),
                Long.parseLong(settings.required("alerts.retry-max-delay-ms"))));
        ResultFeed feed = new ResultFeed(Long.parseLong(settings.required("status-page.feed-period-ms")),
                settings.integer("status-page.feed-max-anomalies"), settings.integer("status-page.feed-max-assets"),
                settings.integer("status-page.feed-max-subscribers"));
        context.addService(feed);
        context.addStartupListener(new EventStreamEndpoint(feed, settings.integer("camel.server.port")));
        AssetActivity activity = new AssetActivity(settings.integer("status-page.history-assets"),
                settings.integer("status-page.history-points"));
        registry.bind("ownedPartitions", new OwnedPartitions());
        registry.bind("offsetCommitter", new OffsetCommitter(stats, feed, activity));
        EpisodeHistory history = new EpisodeHistory(settings.required("kafka.bootstrap-servers"),
                settings.required("kafka.topic.episodes"), settings.integer("episodes.history"));
        context.addStartupListener(history);
        context.addService(history);
        registry.bind("apiHandlers", new ApiHandlers(training, jobs, history, models, gate, stats, inputTopic,
                activity, maintenance, feedback, settings.scoring()));
        registry.bind("operatorApi", new OperatorApi(feedbackLog, feedback, maintenanceLog, maintenance, history));
        registry.bind("trainingAccess", TrainingAccess.configure(
                properties.resolveProperty("training.api.token").orElse(""),
                properties.resolveProperty("training.api.token-file").orElse(""),
                settings.integer("camel.server.port")));
        context.addStartupListener(new BodyTooLargeAnswer(settings.integer("camel.server.port"),
                Long.parseLong(settings.required("camel.server.max-body-size"))));
    }

    /**
     * The model log shared by every instance ({@code kafka.topic.models}), read before the route may consume; or,
     * when that setting is empty, this instance's model directory alone.
     */
    private static ModelInstaller installer(CamelContext context, Settings settings, TopicCreation creation,
                                            LocalInstaller local, PipelineGate gate) throws Exception {
        String topic = context.getPropertiesComponent().resolveProperty("kafka.topic.models").orElse("");
        if (topic.isBlank()) {
            LOG.info("No model log (kafka.topic.models is empty): model sets stay on this instance");
            return local;
        }
        ModelLog log = new ModelLog(settings.required("kafka.bootstrap-servers"), topic,
                creation, local::putFromLog);
        context.addStartupListener(log);
        context.addService(log);
        gate.waitFor(log.caughtUp());
        return log;
    }

    /** Camel's Prometheus registry when it already exists, else ours, bound where Camel will find it. */
    private static MeterRegistry meterRegistry(Registry registry) {
        MeterRegistry existing = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }
}
