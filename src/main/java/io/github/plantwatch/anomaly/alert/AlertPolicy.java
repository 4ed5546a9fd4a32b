package io.github.plantwatch.anomaly.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.plantwatch.anomaly.contract.JsonCodec;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * What the alert route (routes/alerts.camel.yaml) sends for an anomaly episode event: whether it alerts at all
 * (its peak criticality among {@code alerts.criticalities}, its asset among {@code alerts.assets}) and the webhook's
 * JSON body, in the format {@code alerts.webhook-format} names:
 * <ul>
 *   <li>{@code slack}: {@code {"text": ...}}, which Slack's and Microsoft Teams' incoming webhooks accept;</li>
 *   <li>{@code pagerduty}: PagerDuty's Events API v2 ({@code routing_key}, {@code event_action} trigger or resolve,
 *   {@code dedup_key} = the episode id, so an episode is one incident, raised and resolved).</li>
 * </ul>
 */
public final class AlertPolicy {

    private final Set<String> criticalities;
    private final Set<String> assets;
    private final String format;
    private final String routingKey;

    /**
     * @param criticalities comma-separated peak criticalities that alert (e.g. {@code high,critical})
     * @param assets        comma-separated asset ids, or {@code *} for every asset
     */
    public AlertPolicy(String criticalities, String assets, String format, String routingKey) {
        this.criticalities = Set.of(criticalities.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
        this.assets = Set.of(assets.replace(" ", "").split(","));
        this.format = format.toLowerCase(Locale.ROOT).strip();
        this.routingKey = routingKey;
        if (!this.format.equals("slack") && !this.format.equals("pagerduty")) {
            throw new IllegalArgumentException("alerts.webhook-format must be slack or pagerduty, got " + format);
        }
    }

    public boolean alerts(String event) throws IOException {
        JsonNode episode = JsonCodec.mapper().readTree(event);
        return criticalities.contains(episode.path("peak_criticality").asText())
                && (assets.contains("*") || assets.contains(episode.path("asset_id").asText()));
    }

    /** One line for the log and for chat: what, where, how bad, since when, what drove it. */
    public String summary(String event) throws IOException {
        JsonNode episode = JsonCodec.mapper().readTree(event);
        StringBuilder drivers = new StringBuilder();
        for (JsonNode feature : episode.path("top_features")) {
            drivers.append(drivers.isEmpty() ? "" : ", ").append(feature.path("name").asText());
        }
        boolean closed = "closed".equals(episode.path("event").asText());
        return (closed ? "RESOLVED " : episode.path("peak_criticality").asText().toUpperCase(Locale.ROOT) + " ")
                + "anomaly on " + episode.path("asset_id").asText()
                + (episode.path("sensor_id").isTextual() ? " / " + episode.path("sensor_id").asText() : "")
                + " (episode " + episode.path("episode_id").asText() + ", " + episode.path("event").asText()
                + ", since " + episode.path("opened_at").asText() + ", " + episode.path("records").asLong()
                + " anomalous records" + (drivers.isEmpty() ? "" : ", driven by " + drivers) + ")";
    }

    public String webhookBody(String event) throws IOException {
        JsonNode episode = JsonCodec.mapper().readTree(event);
        ObjectNode body = JsonCodec.mapper().createObjectNode();
        if (format.equals("slack")) {
            body.put("text", summary(event));
            return JsonCodec.mapper().writeValueAsString(body);
        }
        body.put("routing_key", routingKey);
        body.put("event_action", "closed".equals(episode.path("event").asText()) ? "resolve" : "trigger");
        body.put("dedup_key", episode.path("episode_id").asText());
        ObjectNode payload = body.putObject("payload");
        payload.put("summary", summary(event));
        payload.put("source", episode.path("asset_id").asText());
        payload.put("severity", switch (episode.path("peak_criticality").asText()) {
            case "critical" -> "critical";
            case "high" -> "error";
            case "medium" -> "warning";
            default -> "info";
        });
        payload.set("custom_details", episode);
        return JsonCodec.mapper().writeValueAsString(body);
    }
}
