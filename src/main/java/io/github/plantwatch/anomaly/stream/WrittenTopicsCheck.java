package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.kafka.TopicProvisioner;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.model.Model;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * First step of the streaming route: fails the batch before anything of it is written when a topic the route writes
 * to does not exist and the brokers do not create topics by themselves ({@code auto.create.topics.enable=false}, as
 * on most production clusters; where they do, the first send creates it). Without it the batch would reach its sends,
 * and camel-kafka hands a batch's records to Kafka's producer one by one; for a topic missing from its metadata the
 * producer waits up to max.block.ms at each record (it reports the timeout through that record's future, so the next
 * record waits again): one attempt would last records x max.block.ms (500 x 15 s at the defaults, far beyond
 * max.poll.interval.ms), and each would write the batch's dead letters again.
 * <p>
 * The topics are those of the route's Kafka producer steps, so an output an operator adds is covered. The cluster is
 * asked (an admin client with the kafka component's security settings) before the first batch, before every attempt
 * after a failed batch, and otherwise at most once per {@code recheckInterval}. An answer that does not come within
 * {@code answerTimeout} (brokers away) lets the batch go on to its sends, whose own timeouts then decide. A topic
 * deleted between this check and the sends costs the batch one max.block.ms, not one per record
 * (kafka/FailFastProducer).
 */
public final class WrittenTopicsCheck extends ServiceSupport implements Processor, StartupListener {

    /** A topic the route writes to does not exist; the message names it, readiness shows it while paused. */
    public static final class MissingTopicException extends Exception {
        MissingTopicException(Set<String> topics) {
            super("topic" + (topics.size() > 1 ? "s " : " ") + String.join(", ", topics) + " does not exist: "
                    + "nothing of the batch was written; it is tried again until the topic is created");
        }
    }

    private final String routeId;
    private final String bootstrapServers;
    private final long recheckNanos;
    private final Duration answerTimeout;
    private List<String> topics;
    private Admin admin;
    private volatile boolean confirmed;
    private volatile long confirmedAtNanos;
    /** Whether the brokers create a topic on its first use: asked once, when a topic is first found missing. */
    private Boolean brokersCreateTopics;

    public WrittenTopicsCheck(String routeId, String bootstrapServers, Duration recheckInterval,
                              Duration answerTimeout) {
        this.routeId = routeId;
        this.bootstrapServers = bootstrapServers;
        this.recheckNanos = recheckInterval.toNanos();
        this.answerTimeout = answerTimeout;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        topics = DeliveryInvariants.producerSteps(context, context.getCamelContextExtension()
                        .getContextPlugin(Model.class).getRouteDefinition(routeId)).stream()
                .map(KafkaConfiguration::getTopic).distinct().toList();
        admin = Admin.create(TopicProvisioner.adminConfig(
                context.getComponent("kafka", KafkaComponent.class).getConfiguration(), bootstrapServers));
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // prepared in onCamelContextStarting, before the route may start
    }

    /** Told the failures in a row after a batch (with the metric): a failed batch is checked again before it. */
    public void failuresInARow(int failures) {
        if (failures > 0) {
            confirmed = false;
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (confirmed && System.nanoTime() - confirmedAtNanos < recheckNanos) {
            return;
        }
        Set<String> missing = new TreeSet<>();
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics,
                new DescribeTopicsOptions().timeoutMs((int) answerTimeout.toMillis())).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
            try {
                topic.getValue().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    return; // no answer (brokers away) or not allowed to ask: the sends' own timeouts decide
                }
                missing.add(topic.getKey());
            }
        }
        if (!missing.isEmpty() && !brokersCreateTopics()) {
            throw new MissingTopicException(missing);
        }
        confirmedAtNanos = System.nanoTime();
        confirmed = true;
    }

    /** Whether a broker's {@code auto.create.topics.enable} is on; true while it cannot be read (as if unchecked). */
    private boolean brokersCreateTopics() throws InterruptedException {
        if (brokersCreateTopics == null) {
            try {
                Node broker = admin.describeCluster().nodes().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .iterator().next();
                ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker.idString());
                ConfigEntry autoCreate = admin.describeConfigs(List.of(resource)).all()
                        .get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS).get(resource)
                        .get("auto.create.topics.enable");
                brokersCreateTopics = autoCreate == null || Boolean.parseBoolean(autoCreate.value());
            } catch (ExecutionException | TimeoutException | NoSuchElementException unknown) {
                return true; // asked again next time
            }
        }
        return brokersCreateTopics;
    }

    @Override
    protected void doStop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
