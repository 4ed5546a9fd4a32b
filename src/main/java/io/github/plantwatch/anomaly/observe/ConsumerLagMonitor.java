package io.github.plantwatch.anomaly.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import io.github.plantwatch.anomaly.kafka.TopicProvisioner;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumer lag of the service's group on the input topic (records not yet committed), refreshed in the
 * background so a scrape never waits for Kafka: gauge {@code anomaly_consumer_lag_records} (-1 until known). Its
 * admin client connects with the kafka component's security settings (TLS, SASL), like the route's clients, so it
 * starts with the context, once the component is configured.
 */
public final class ConsumerLagMonitor extends ServiceSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMonitor.class);

    private final String bootstrapServers;
    private final long periodMillis;
    private final String group;
    private final String topic;
    private final AtomicLong lag = new AtomicLong(-1);
    private Admin admin;
    private ScheduledExecutorService scheduler;
    private boolean warned;

    public ConsumerLagMonitor(String bootstrapServers, String group, String topic, MeterRegistry registry,
                              long periodMillis) {
        this.bootstrapServers = bootstrapServers;
        this.periodMillis = periodMillis;
        this.group = group;
        this.topic = topic;
        Gauge.builder("anomaly_consumer_lag_records", lag, AtomicLong::get)
                .description("records of the input topic not yet committed by the group").register(registry);
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        admin = Admin.create(TopicProvisioner.adminConfig(
                context.getComponent("kafka", KafkaComponent.class).getConfiguration(), bootstrapServers));
        scheduler = Executors.newSingleThreadScheduledExecutor(
                runnable -> Thread.ofPlatform().daemon().name("consumer-lag-monitor").unstarted(runnable));
        scheduler.scheduleWithFixedDelay(this::refresh, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // started in onCamelContextStarting
    }

    private void refresh() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(10, TimeUnit.SECONDS);
            long total = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata position = committed.get(end.getKey());
                total += end.getValue().offset() - (position == null ? 0 : position.offset());
            }
            lag.set(total);
        } catch (Exception e) {
            // the first failure is worth a line (a wrong security setting shows here); the next ones are noise
            if (!warned) {
                warned = true;
                LOG.warn("Consumer lag not available yet (anomaly_consumer_lag_records stays -1): {}", e.toString());
            } else {
                LOG.debug("Consumer lag not available: {}", e.toString());
            }
        }
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            admin.close(java.time.Duration.ofSeconds(5));
        }
    }
}
