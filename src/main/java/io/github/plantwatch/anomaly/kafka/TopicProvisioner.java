package io.github.plantwatch.anomaly.kafka;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the service's topics when they do not exist yet ({@code kafka.create-topics}, on with the embedded broker).
 * It connects with the kafka component's security settings (TLS, SASL), like the route's consumer and producers, so
 * it runs when the context starts: the component is configured after the configuration classes.
 */
public final class TopicProvisioner implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    /** The client settings an admin client shares with the consumer and producers: how to reach and log in. */
    private static final List<String> CONNECTION_PREFIXES = List.of("security.", "sasl.", "ssl.");

    private final String bootstrapServers;
    private final List<String> topics;
    private final int partitions;
    private final int maxMessageBytes;
    private final TopicCreation creation;

    /**
     * @param maxMessageBytes the topics' {@code max.message.bytes}: the producers' max request size, so the broker
     *                        accepts every result and dead letter the service may write
     */
    public TopicProvisioner(String bootstrapServers, List<String> topics, int partitions, int maxMessageBytes,
                            TopicCreation creation) {
        this.creation = creation;
        this.bootstrapServers = bootstrapServers;
        this.topics = List.copyOf(topics);
        this.partitions = partitions;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) throws Exception {
        ensureTopics(adminConfig(context.getComponent("kafka", KafkaComponent.class).getConfiguration(),
                bootstrapServers));
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // topics are created in onCamelContextStarting, before anything may use them
    }

    /** An admin client's configuration: the brokers, plus the component's security settings. */
    public static Map<String, Object> adminConfig(KafkaConfiguration kafka, String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        kafka.createProducerProperties().forEach((key, value) -> {
            String name = key.toString();
            if (CONNECTION_PREFIXES.stream().anyMatch(name::startsWith)
                    && AdminClientConfig.configNames().contains(name)) {
                config.put(name, value);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /**
     * Creates a compacted topic unless it exists: a log the service keeps its state or its operators' word on.
     *
     * @param maxMessageBytes the topic's {@code max.message.bytes}, or 0 for the broker's default
     * @param what            what the topic holds, for the log line
     */
    public static void createCompacted(Admin admin, String topic, int partitions, int maxMessageBytes, String what,
                                       TopicCreation creation) throws Exception {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        if (maxMessageBytes > 0) {
            configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes));
        }
        short factor = creation.factor(admin);
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, factor).configs(creation.configs(factor,
                            configs)))).all().get(30, TimeUnit.SECONDS);
            LOG.info("Created topic {} (compacted, {} partitions, replication factor {}): {}", topic, partitions,
                    factor, what);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private void ensureTopics(Map<String, Object> adminConfig) throws Exception {
        try (Admin admin = Admin.create(adminConfig)) {
            short factor = creation.factor(admin);
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, factor).configs(creation.configs(
                                    factor, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                            String.valueOf(maxMessageBytes))))))
                            .all().get(30, TimeUnit.SECONDS);
                    LOG.info("Created topic {} ({} partitions, replication factor {})", topic, partitions, factor);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }
}
