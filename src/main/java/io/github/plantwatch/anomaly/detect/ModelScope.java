package io.github.plantwatch.anomaly.detect;

import java.util.Objects;

/**
 * Whom a model set serves: every asset ({@code global}), the assets of one model group ({@code group:<name>}), or
 * one asset ({@code asset:<asset_id>}). Scoring picks the most specific one that exists for a message's asset.
 */
public record ModelScope(Kind kind, String name) {

    public enum Kind { GLOBAL, GROUP, ASSET }

    public static final ModelScope GLOBAL = new ModelScope(Kind.GLOBAL, "");

    public ModelScope {
        Objects.requireNonNull(kind);
        name = kind == Kind.GLOBAL ? "" : Objects.requireNonNull(name);
    }

    public static ModelScope group(String name) {
        return new ModelScope(Kind.GROUP, name);
    }

    public static ModelScope asset(String assetId) {
        return new ModelScope(Kind.ASSET, assetId);
    }

    /** The {@code model_scope} of results and status: {@code global}, {@code group:<name>}, {@code asset:<id>}. */
    public String key() {
        return switch (kind) {
            case GLOBAL -> "global";
            case GROUP -> "group:" + name;
            case ASSET -> "asset:" + name;
        };
    }

    /** The scope a {@link #key()} names; refuses any other text. */
    public static ModelScope ofKey(String key) {
        if (key.equals("global")) {
            return GLOBAL;
        }
        if (key.startsWith("group:") && key.length() > 6) {
            return group(key.substring(6));
        }
        if (key.startsWith("asset:") && key.length() > 6) {
            return asset(key.substring(6));
        }
        throw new IllegalArgumentException("not a model scope: " + key + " (global, group:<name> or asset:<id>)");
    }

    @Override
    public String toString() {
        return key();
    }
}
