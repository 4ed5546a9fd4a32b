package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;

import java.util.List;

/** One batch after scoring: a result per scored message, in input order, and every rejected record. */
public record ScoredBatch(List<AnomalyResult> results, List<DecodedBatch.Rejected> rejected) {
}
