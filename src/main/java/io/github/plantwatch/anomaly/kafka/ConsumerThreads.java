package io.github.plantwatch.anomaly.kafka;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sizes the streaming route's consumer threads when {@code kafka.consumer.count} is 0 (the default): one per
 * partition of the input topic, at most one per core. A consumer thread scores its own batches, so one thread on a
 * two-partition topic leaves a core idle, and threads beyond the partitions get nothing to read. Runs as the context
 * starts, after the topics are created and before the route's consumer starts, with the component's security
 * settings; when the topic cannot be described it takes the partitions the service would create.
 */
public final class ConsumerThreads implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerThreads.class);
    /** How long a start waits for the cluster's answer (brokers away: the service starts anyway). */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final String routeId;
    private final String bootstrapServers;
    private final String inputTopic;
    private final int configured;
    private final int defaultPartitions;

    /**
     * @param configured        {@code kafka.consumer.count}: a positive count is kept as it is
     * @param defaultPartitions {@code kafka.topic.partitions}: the input's partitions when they cannot be read
     */
    public ConsumerThreads(String routeId, String bootstrapServers, String inputTopic, int configured,
                           int defaultPartitions) {
        this.routeId = routeId;
        this.bootstrapServers = bootstrapServers;
        this.inputTopic = inputTopic;
        this.configured = configured;
        this.defaultPartitions = defaultPartitions;
    }

    /** One consumer thread per partition, at most one per core, at least one. */
    public static int forPartitions(int partitions, int cores) {
        return Math.max(1, Math.min(partitions, cores));
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) throws Exception {
        if (configured > 0) {
            return;
        }
        RouteDefinition route = context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinition(routeId);
        if (route == null) {
            return; // DeliveryInvariants names the missing route
        }
        int partitions = partitions(TopicProvisioner.adminConfig(
                context.getComponent("kafka", KafkaComponent.class).getConfiguration(), bootstrapServers));
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = forPartitions(partitions, cores);
        KafkaConfiguration consumer = context.getEndpoint(route.getInput().getEndpointUri(), KafkaEndpoint.class)
                .getConfiguration();
        consumer.setConsumersCount(threads);
        LOG.info("Consuming {} with {} consumer thread(s): {} partition(s), {} core(s) (KAFKA_CONSUMERS_COUNT sets "
                + "another count)", inputTopic, threads, partitions, cores);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // sized in onCamelContextStarting, before the route's consumer starts
    }

    private int partitions(Map<String, Object> adminConfig) {
        Admin admin = Admin.create(adminConfig);
        try {
            TopicDescription topic = admin.describeTopics(List.of(inputTopic),
                            new DescribeTopicsOptions().timeoutMs((int) ANSWER_TIMEOUT.toMillis()))
                    .allTopicNames().get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(inputTopic);
            return topic.partitions().size();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                LOG.warn("Could not read the partitions of {} ({}); sizing the consumer threads for {} partitions",
                        inputTopic, e.getCause().toString(), defaultPartitions);
            }
            return defaultPartitions;
        } catch (TimeoutException e) {
            LOG.warn("Could not read the partitions of {} within {} s; sizing the consumer threads for {} partitions",
                    inputTopic, ANSWER_TIMEOUT.toSeconds(), defaultPartitions);
            return defaultPartitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return defaultPartitions;
        } finally {
            // not the default close, which waits for the call to time out (default.api.timeout.ms, 60 s)
            admin.close(Duration.ZERO);
        }
    }
}
