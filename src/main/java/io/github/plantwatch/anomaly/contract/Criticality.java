package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonValue;

/** How urgently an on-call engineer should look; the rule is in README "Scores, thresholds, criticality". */
public enum Criticality {
    LOW, MEDIUM, HIGH, CRITICAL;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
