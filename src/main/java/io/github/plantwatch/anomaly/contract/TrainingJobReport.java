package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer of {@code POST /api/v1/anomalies/train} (202) and {@code GET /api/v1/anomalies/jobs/{job_id}}: a training
 * job. {@code state}: {@code queued}, {@code running}, {@code succeeded}, {@code failed} or {@code cancelled} (the
 * service stopped). {@code result} once succeeded, {@code error} once failed; times ISO-8601, null until reached.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobReport(@JsonProperty("job_id") String jobId,
                                String state,
                                String progress,
                                @JsonProperty("model_scope") String modelScope,
                                @JsonProperty("submitted_at") String submittedAt,
                                @JsonProperty("started_at") String startedAt,
                                @JsonProperty("finished_at") String finishedAt,
                                TrainingReport result,
                                ApiError error) {
}
