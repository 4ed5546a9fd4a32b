package io.github.plantwatch.anomaly;

import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.http.ApiHandlers;
import io.github.plantwatch.anomaly.kafka.TopicProvisioner;
import io.github.plantwatch.anomaly.store.ModelStore;
import io.github.plantwatch.anomaly.stream.AnomalyScorer;
import io.github.plantwatch.anomaly.stream.FeatureBatchDecoder;
import io.github.plantwatch.anomaly.stream.OffsetCommitter;
import io.github.plantwatch.anomaly.stream.OutboundRecords;
import io.github.plantwatch.anomaly.stream.PipelineGate;
import io.github.plantwatch.anomaly.stream.PipelineStats;
import io.github.plantwatch.anomaly.stream.MessageScorer;
import io.github.plantwatch.anomaly.train.ModelTrainer;
import io.github.plantwatch.anomaly.train.TrainingService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Wires the service's beans from {@code application.properties} and binds them by the names the routes use
 * ({@code ref: ...} in routes/*.camel.yaml, {@code bean("...")} in the Java DSL). Listed in
 * {@code camel.main.configuration-classes}, so Camel Main and {@code camel run} both pick it up.
 */
public final class ServiceConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings settings = new Settings(properties);
        Registry registry = context.getRegistry();
        String inputTopic = settings.required("kafka.topic.input");

        if (Boolean.parseBoolean(properties.resolveProperty("kafka.create-topics").orElse("false"))) {
            TopicProvisioner.ensureTopics(settings.required("kafka.bootstrap-servers"),
                    List.of(inputTopic, settings.required("kafka.topic.output"),
                            settings.required("kafka.topic.dead-letter")),
                    settings.integer("kafka.topic.partitions"));
        }
        if (Boolean.parseBoolean(settings.required("kafka.enable-auto-commit"))) {
            LOG.warn("KAFKA_ENABLE_AUTO_COMMIT=true: the consumer may commit offsets of records whose results are "
                    + "not yet published; a crash can then lose them. Leave it false unless you accept that.");
        }

        ModelStore store = new ModelStore(Path.of(settings.required("models.directory")));
        ModelRegistry models = new ModelRegistry(store::load, store.scopedSummaries(),
                settings.integer("models.memory-budget-mb") * 1024L * 1024L);
        Optional<ModelSet> global = store.load();
        if (global.isPresent()) {
            models.install(global.get(), ModelStore.summary(global.get(),
                    ModelStore.serialize(global.get()).length, true));
        }

        TrainingService training = new TrainingService(settings.trainingRequestParser(), new ModelTrainer(), store,
                models);

        PipelineStats stats = new PipelineStats();
        PipelineGate gate = new PipelineGate(models, inputTopic);
        context.addStartupListener(gate);

        registry.bind("featureBatchDecoder", new FeatureBatchDecoder());
        registry.bind("anomalyScorer", new AnomalyScorer(new MessageScorer(models, settings.scoring())));
        registry.bind("outboundRecords", new OutboundRecords(context));
        registry.bind("offsetCommitter", new OffsetCommitter(stats));
        registry.bind("apiHandlers", new ApiHandlers(training, models, gate, stats, inputTopic));
    }
}
