package io.github.plantwatch.anomaly.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.kafka.TopicProvisioner;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The anomaly episodes of every instance, for {@code GET /api/v1/anomalies/episodes} and {@code GET
 * /api/v1/assets}: each instance reads the whole episodes topic (all partitions, from the start, no consumer group)
 * and keeps each episode's newest event, the {@code capacity} newest episodes (the oldest forgotten first). So any
 * instance answers for all of them, a moment after the event (the time to read it).
 */
public final class EpisodeHistory extends ServiceSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(EpisodeHistory.class);

    private final String bootstrapServers;
    private final String topic;
    private final int capacity;
    /** Episode id to its newest event, in the order episodes were first seen; guarded by this. */
    private final LinkedHashMap<String, JsonNode> episodes = new LinkedHashMap<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread reader;
    private volatile boolean reading;

    public EpisodeHistory(String bootstrapServers, String topic, int capacity) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.capacity = capacity;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        Map<String, Object> config = new HashMap<>(TopicProvisioner.adminConfig(
                context.getComponent("kafka", KafkaComponent.class).getConfiguration(), bootstrapServers));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        reading = true;
        reader = Thread.ofPlatform().name("episode-history").daemon().start(this::read);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // reading started in onCamelContextStarting
    }

    private void read() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && reading) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                if (partitions.isEmpty()) {
                    Thread.sleep(1000);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (reading) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    add(record.value());
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("Episode history: cannot read {}: {}; GET /api/v1/anomalies/episodes stays as it is", topic,
                    e.toString());
        }
    }

    private void add(byte[] value) {
        JsonNode event;
        try {
            event = JsonCodec.mapper().readTree(value);
        } catch (IOException e) {
            return; // not an episode event
        }
        String id = event.path("episode_id").asText("");
        if (id.isEmpty()) {
            return;
        }
        synchronized (this) {
            episodes.put(id, event);
            while (episodes.size() > capacity) {
                episodes.remove(episodes.keySet().iterator().next());
            }
        }
    }

    /**
     * The newest {@code limit} episodes (by their opening time, newest first), of one asset or all ({@code null}),
     * opened at or after {@code since} (ISO-8601 text, compared as text; null: all).
     */
    public synchronized List<JsonNode> episodes(String assetId, String since, int limit) {
        return episodes.values().stream()
                .filter(e -> assetId == null || assetId.equals(e.path("asset_id").asText()))
                .filter(e -> since == null || e.path("opened_at").asText().compareTo(since) >= 0)
                .sorted(Comparator.comparing((JsonNode e) -> e.path("opened_at").asText()).reversed())
                .limit(limit).toList();
    }

    /** Each asset's state: anomalous (an episode open) since when and how critical, or normal, with its last one. */
    public synchronized List<Map<String, Object>> assets() {
        Map<String, JsonNode> newest = new LinkedHashMap<>();
        for (JsonNode episode : episodes.values()) {
            newest.merge(episode.path("asset_id").asText(), episode, (a, b) ->
                    a.path("opened_at").asText().compareTo(b.path("opened_at").asText()) >= 0 ? a : b);
        }
        List<Map<String, Object>> assets = new ArrayList<>();
        newest.forEach((asset, episode) -> {
            boolean open = !"closed".equals(episode.path("event").asText());
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("asset_id", asset);
            state.put("state", open ? "anomalous" : "normal");
            state.put("anomalous_since", open ? episode.path("opened_at").asText() : null);
            state.put("criticality", open ? episode.path("peak_criticality").asText() : null);
            state.put("last_episode", episode);
            assets.add(state);
        });
        assets.sort(Comparator.comparing(a -> (String) a.get("asset_id")));
        return assets;
    }

    @Override
    protected void doStop() throws InterruptedException {
        reading = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            reader.join(5000);
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
