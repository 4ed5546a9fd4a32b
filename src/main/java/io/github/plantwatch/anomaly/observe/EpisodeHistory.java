package io.github.plantwatch.anomaly.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.kafka.TopicFollower;
import io.github.plantwatch.anomaly.kafka.TopicProvisioner;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.support.service.ServiceSupport;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The anomaly episodes of every instance, for {@code GET /api/v1/anomalies/episodes} and {@code GET
 * /api/v1/assets}: each instance reads the whole episodes topic (all partitions, from the start, no consumer group)
 * and keeps each episode's newest event, the {@code capacity} newest episodes (the oldest forgotten first). So any
 * instance answers for all of them, a moment after the event (the time to read it).
 */
public final class EpisodeHistory extends ServiceSupport implements StartupListener {

    private final String bootstrapServers;
    private final String topic;
    private final int capacity;
    /** Episode id to its newest event, in the order episodes were first seen; guarded by this. */
    private final LinkedHashMap<String, JsonNode> episodes = new LinkedHashMap<>();
    private TopicFollower follower;

    public EpisodeHistory(String bootstrapServers, String topic, int capacity) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.capacity = capacity;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        follower = new TopicFollower(TopicProvisioner.adminConfig(
                context.getComponent("kafka", KafkaComponent.class).getConfiguration(), bootstrapServers), topic,
                record -> add(record.value()));
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // reading started in onCamelContextStarting
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
     * opened at or after {@code since} and before {@code before} (ISO-8601 text, compared as text; null: no bound):
     * the next page of a listing is the one before its last episode's {@code opened_at}.
     */
    public synchronized List<JsonNode> episodes(String assetId, String since, String before, int limit) {
        return episodes.values().stream()
                .filter(e -> assetId == null || assetId.equals(e.path("asset_id").asText()))
                .filter(e -> since == null || e.path("opened_at").asText().compareTo(since) >= 0)
                .filter(e -> before == null || e.path("opened_at").asText().compareTo(before) < 0)
                .sorted(Comparator.comparing((JsonNode e) -> e.path("opened_at").asText()).reversed())
                .limit(limit).toList();
    }

    /** The newest event of an episode, if this instance keeps it. */
    public synchronized Optional<JsonNode> episode(String episodeId) {
        return Optional.ofNullable(episodes.get(episodeId));
    }

    /**
     * The episodes of an asset (of one of its sensors, unless {@code sensorId} is null) whose time, from opening to
     * closing (or now, when still open), meets [from, until]; times compared as instants, episodes whose times are
     * not ISO-8601 instants left out.
     */
    public synchronized List<JsonNode> overlapping(String assetId, String sensorId, Instant from, Instant until) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode episode : episodes.values()) {
            if (!assetId.equals(episode.path("asset_id").asText())
                    || sensorId != null && !sensorId.equals(episode.path("sensor_id").asText())) {
                continue;
            }
            try {
                Instant opened = Instant.parse(episode.path("opened_at").asText());
                String closedAt = episode.path("closed_at").asText("");
                Instant closed = closedAt.isEmpty() ? Instant.MAX : Instant.parse(closedAt);
                if (!opened.isAfter(until) && !closed.isBefore(from)) {
                    found.add(episode);
                }
            } catch (DateTimeParseException e) {
                // not comparable as instants
            }
        }
        return found;
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
        if (follower != null) {
            follower.close();
        }
    }
}
