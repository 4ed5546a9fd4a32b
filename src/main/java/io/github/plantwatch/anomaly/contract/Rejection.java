package io.github.plantwatch.anomaly.contract;

/** Why one input record cannot be scored: a machine-readable reason and a message naming the problem. */
public record Rejection(RejectionReason reason, String message) {
}
