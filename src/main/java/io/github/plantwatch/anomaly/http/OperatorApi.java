package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.plantwatch.anomaly.contract.ApiError;
import io.github.plantwatch.anomaly.contract.Excerpt;
import io.github.plantwatch.anomaly.contract.FeatureRange;
import io.github.plantwatch.anomaly.contract.Feedback;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import io.github.plantwatch.anomaly.contract.MaintenanceWindow;
import io.github.plantwatch.anomaly.kafka.ControlLog;
import io.github.plantwatch.anomaly.observe.EpisodeHistory;
import io.github.plantwatch.anomaly.stream.FeedbackBook;
import io.github.plantwatch.anomaly.stream.MaintenanceCalendar;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What operators tell the service over HTTP: feedback on episodes ({@code POST/GET /api/v1/anomalies/feedback}) and
 * maintenance windows ({@code POST/GET/DELETE /api/v1/assets/{asset_id}/maintenance}). Each is written to its
 * {@link ControlLog} and answered once Kafka has acknowledged it; every instance's scorer then reads it from there.
 */
public final class OperatorApi {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);
    private static final Set<String> FEEDBACK_FIELDS = Set.of("episode_id", "asset_id", "sensor_id", "from", "until",
            "label", "comment");
    private static final Set<String> MAINTENANCE_FIELDS = Set.of("from", "until", "reason");
    private static final Duration LONGEST_WINDOW = Duration.ofDays(366);
    private static final int MAX_LISTED = 1000;

    private final ControlLog feedbackLog;
    private final FeedbackBook feedback;
    private final ControlLog maintenanceLog;
    private final MaintenanceCalendar maintenance;
    private final EpisodeHistory episodes;

    public OperatorApi(ControlLog feedbackLog, FeedbackBook feedback, ControlLog maintenanceLog,
                       MaintenanceCalendar maintenance, EpisodeHistory episodes) {
        this.feedbackLog = feedbackLog;
        this.feedback = feedback;
        this.maintenanceLog = maintenanceLog;
        this.maintenance = maintenance;
        this.episodes = episodes;
    }

    /**
     * Feedback on an episode ({@code episode_id}) or on an asset over a time range ({@code asset_id}, optional
     * {@code sensor_id}, {@code from}, {@code until}): 202 with the feedback as kept.
     */
    public void giveFeedback(Exchange exchange) throws JsonProcessingException, InterruptedException {
        try {
            JsonFields body = JsonFields.parse(contentType(exchange), exchange.getMessage().getBody(byte[].class),
                    FEEDBACK_FIELDS);
            String label = body.text("label");
            if (label == null || !Feedback.LABELS.contains(label)) {
                throw new JsonFields.BadRequest(400, "label must be one of " + new java.util.TreeSet<>(Feedback.LABELS)
                        + (label == null ? "" : ", got " + Excerpt.of(label)));
            }
            Instant now = Instant.now();
            Feedback given = body.has("episode_id") ? onEpisode(body, label, now) : onRange(body, label, now);
            feedbackLog.write(given.feedbackId(), JsonCodec.mapper().writeValueAsBytes(given));
            LOG.info("Feedback {} ({}) on asset {}{} from {} until {}", given.feedbackId(), label, given.assetId(),
                    given.episodeId() == null ? "" : " episode " + given.episodeId(), given.from(), given.until());
            JsonResponse.write(exchange, 202, given);
        } catch (JsonFields.BadRequest e) {
            JsonResponse.write(exchange, e.status, new ApiError(e.status, e.getMessage()));
        } catch (IllegalStateException e) {
            JsonResponse.write(exchange, 503, new ApiError(503, "feedback not kept: " + e.getMessage()));
        }
    }

    private Feedback onEpisode(JsonFields body, String label, Instant now) throws JsonFields.BadRequest {
        for (String field : List.of("asset_id", "sensor_id", "from", "until")) {
            if (body.has(field)) {
                throw new JsonFields.BadRequest(400, "give either episode_id, or asset_id with from and until, not "
                        + "both (" + field + ")");
            }
        }
        String id = body.id("episode_id");
        JsonNode episode = episodes.episode(id).orElseThrow(() -> new JsonFields.BadRequest(404,
                "no episode " + Excerpt.of(id) + " (GET /api/v1/anomalies/episodes lists them)"));
        Instant opened;
        Instant closed;
        try {
            opened = Instant.parse(episode.path("opened_at").asText());
            String closedAt = episode.path("closed_at").asText("");
            closed = closedAt.isEmpty() || Feedback.NEW_NORMAL.equals(label) ? now : Instant.parse(closedAt);
        } catch (java.time.format.DateTimeParseException e) {
            throw new JsonFields.BadRequest(422, "episode " + Excerpt.of(id) + " has times that are not ISO-8601 "
                    + "instants (its records' timestamps); give asset_id, from and until instead");
        }
        String sensor = episode.path("sensor_id").isTextual() ? episode.path("sensor_id").asText() : null;
        return new Feedback(newId("fb"), label, episode.path("asset_id").asText(), sensor, id, opened.toString(),
                latest(opened, closed).toString(), body.text("comment"), now.toString(), envelope(List.of(episode)));
    }

    private Feedback onRange(JsonFields body, String label, Instant now) throws JsonFields.BadRequest {
        String asset = body.id("asset_id");
        Instant from = body.instant("from");
        Instant until = body.instant("until");
        if (asset == null || from == null || until == null) {
            throw new JsonFields.BadRequest(400, "give episode_id, or asset_id with from and until (ISO-8601 instants)");
        }
        if (until.isBefore(from)) {
            throw new JsonFields.BadRequest(400, "until (" + until + ") is before from (" + from + ")");
        }
        String sensor = body.id("sensor_id");
        return new Feedback(newId("fb"), label, asset, sensor, null, from.toString(), until.toString(),
                body.text("comment"), now.toString(), envelope(episodes.overlapping(asset, sensor, from, until)));
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The union of the episodes' envelopes: per feature, the lowest low and the highest high. */
    private static List<FeatureRange> envelope(List<JsonNode> covered) {
        Map<String, double[]> ranges = new TreeMap<>();
        for (JsonNode episode : covered) {
            for (JsonNode range : episode.path("envelope")) {
                double low = range.path("low").asDouble();
                double high = range.path("high").asDouble();
                ranges.merge(range.path("name").asText(), new double[]{low, high},
                        (a, b) -> new double[]{Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        List<FeatureRange> envelope = new ArrayList<>();
        ranges.forEach((name, range) -> envelope.add(new FeatureRange(name, range[0], range[1])));
        return envelope;
    }

    /** The newest feedback ({@code ?asset_id=&limit=}, limit 1-1000, default 100), newest first. */
    public void listFeedback(Exchange exchange) throws JsonProcessingException {
        Integer limit = limit(exchange);
        if (limit != null) {
            JsonResponse.write(exchange, 200, Map.of("feedback",
                    feedback.newest(exchange.getMessage().getHeader("asset_id", String.class), limit)));
        }
    }

    /** A maintenance window for the asset ({@code from} defaults to now; {@code until} required): 201. */
    public void startMaintenance(Exchange exchange) throws JsonProcessingException, InterruptedException {
        try {
            String asset = JsonFields.pathId("asset_id", exchange.getMessage().getHeader("asset_id", String.class));
            JsonFields body = JsonFields.parse(contentType(exchange), exchange.getMessage().getBody(byte[].class),
                    MAINTENANCE_FIELDS);
            Instant now = Instant.now();
            Instant from = body.has("from") ? body.instant("from") : now;
            Instant until = body.instant("until");
            if (until == null) {
                throw new JsonFields.BadRequest(400, "until is required: when the maintenance ends (ISO-8601 instant)");
            }
            if (!until.isAfter(from)) {
                throw new JsonFields.BadRequest(400, "until (" + until + ") must be after from (" + from + ")");
            }
            if (Duration.between(from, until).compareTo(LONGEST_WINDOW) > 0) {
                throw new JsonFields.BadRequest(400, "a maintenance window lasts at most " + LONGEST_WINDOW.toDays()
                        + " days");
            }
            MaintenanceWindow window = new MaintenanceWindow(newId("mw"), asset, from.toString(), until.toString(),
                    body.text("reason"), now.toString());
            maintenanceLog.write(window.windowId(), JsonCodec.mapper().writeValueAsBytes(window));
            LOG.info("Maintenance window {} for asset {} from {} until {}", window.windowId(), asset, window.from(),
                    window.until());
            JsonResponse.write(exchange, 201, window);
            exchange.getMessage().setHeader("Location", "/api/v1/assets/" + asset + "/maintenance");
        } catch (JsonFields.BadRequest e) {
            JsonResponse.write(exchange, e.status, new ApiError(e.status, e.getMessage()));
        } catch (IllegalStateException e) {
            JsonResponse.write(exchange, 503, new ApiError(503, "maintenance window not kept: " + e.getMessage()));
        }
    }

    /** The asset's maintenance windows. */
    public void listMaintenance(Exchange exchange) throws JsonProcessingException {
        try {
            String asset = JsonFields.pathId("asset_id", exchange.getMessage().getHeader("asset_id", String.class));
            JsonResponse.write(exchange, 200, Map.of("windows", maintenance.windows(asset)));
        } catch (JsonFields.BadRequest e) {
            JsonResponse.write(exchange, e.status, new ApiError(e.status, e.getMessage()));
        }
    }

    /** Deletes every maintenance window of the asset: 200 with the windows ended, 404 when it had none. */
    public void endMaintenance(Exchange exchange) throws JsonProcessingException, InterruptedException {
        try {
            String asset = JsonFields.pathId("asset_id", exchange.getMessage().getHeader("asset_id", String.class));
            List<MaintenanceWindow> windows = maintenance.windows(asset);
            if (windows.isEmpty()) {
                throw new JsonFields.BadRequest(404, "asset " + Excerpt.of(asset) + " has no maintenance window");
            }
            for (MaintenanceWindow window : windows) {
                maintenanceLog.write(window.windowId(), null);
            }
            LOG.info("Maintenance of asset {} ended: {} windows deleted", asset, windows.size());
            JsonResponse.write(exchange, 200, Map.of("ended", windows));
        } catch (JsonFields.BadRequest e) {
            JsonResponse.write(exchange, e.status, new ApiError(e.status, e.getMessage()));
        } catch (IllegalStateException e) {
            JsonResponse.write(exchange, 503, new ApiError(503, "maintenance not ended: " + e.getMessage()));
        }
    }

    /** The {@code limit} query parameter (1-1000, default 100), or null after answering 400. */
    static Integer limit(Exchange exchange) throws JsonProcessingException {
        String text = exchange.getMessage().getHeader("limit", String.class);
        int limit;
        try {
            limit = text == null ? 100 : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LISTED) {
            JsonResponse.write(exchange, 400, new ApiError(400, "limit must be a whole number from 1 to "
                    + MAX_LISTED + ", got " + Excerpt.of(String.valueOf(text))));
            return null;
        }
        return limit;
    }

    private static String contentType(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
    }

    private static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
