package io.github.plantwatch.anomaly.contract;

/** Body of every 4xx/5xx answer of the HTTP API. */
public record ApiError(int status, String error) {
}
