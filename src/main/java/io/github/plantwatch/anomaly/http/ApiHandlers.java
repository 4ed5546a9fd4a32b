package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.ApiError;
import io.github.plantwatch.anomaly.contract.MaintenanceWindow;
import io.github.plantwatch.anomaly.detect.Rarity;
import io.github.plantwatch.anomaly.observe.AssetActivity;
import io.github.plantwatch.anomaly.stream.FeedbackBook;
import io.github.plantwatch.anomaly.stream.MaintenanceCalendar;
import io.github.plantwatch.anomaly.stream.ScoringSettings;
import io.github.plantwatch.anomaly.contract.Excerpt;
import io.github.plantwatch.anomaly.contract.FeatureMessage;
import io.github.plantwatch.anomaly.contract.RollbackReport;
import io.github.plantwatch.anomaly.contract.StatusReport;
import io.github.plantwatch.anomaly.contract.TrainingJobReport;
import io.github.plantwatch.anomaly.detect.ModelRegistry;
import io.github.plantwatch.anomaly.observe.EpisodeHistory;
import io.github.plantwatch.anomaly.detect.ModelSet;
import io.github.plantwatch.anomaly.stream.PipelineGate;
import io.github.plantwatch.anomaly.stream.PipelineStats;
import io.github.plantwatch.anomaly.train.InvalidTrainingRequestException;
import io.github.plantwatch.anomaly.train.TrainingJobs;
import io.github.plantwatch.anomaly.train.TrainingService;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The HTTP API's operations; {@link ApiRoutes} maps them to paths. Every answer is JSON. */
public final class ApiHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandlers.class);
    /** Where a training job is shown: GET /api/v1/anomalies/jobs/{job_id}. */
    public static final String JOBS = "/api/v1/anomalies/jobs/";
    private static final int FEEDBACK_IN_STATUS = 10;

    private final TrainingService training;
    private final TrainingJobs jobs;
    private final EpisodeHistory history;
    private final ModelRegistry registry;
    private final PipelineGate gate;
    private final PipelineStats stats;
    private final String inputTopic;
    private final AssetActivity activity;
    private final MaintenanceCalendar maintenance;
    private final FeedbackBook feedback;
    private final ScoringSettings scoring;
    private volatile StatusPage statusPage;

    public ApiHandlers(TrainingService training, TrainingJobs jobs, EpisodeHistory history, ModelRegistry registry,
                       PipelineGate gate, PipelineStats stats, String inputTopic, AssetActivity activity,
                       MaintenanceCalendar maintenance, FeedbackBook feedback, ScoringSettings scoring) {
        this.activity = activity;
        this.maintenance = maintenance;
        this.feedback = feedback;
        this.scoring = scoring;
        this.training = training;
        this.jobs = jobs;
        this.history = history;
        this.registry = registry;
        this.gate = gate;
        this.stats = stats;
        this.inputTopic = inputTopic;
    }

    /**
     * Queues a training job: 202 with the job and its {@code Location}; with {@code ?wait=true}, waits for it and
     * answers as the synchronous API did (200 with the report, or the job's error status). A bad body is answered
     * at once (400, 413), a full queue with 429.
     */
    public void train(Exchange exchange) throws JsonProcessingException, InterruptedException {
        TrainingJobReport job;
        try {
            JsonFields.requireJson(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        } catch (JsonFields.BadRequest e) {
            LOG.warn("Training request refused ({}): {}", e.status, e.getMessage());
            JsonResponse.write(exchange, e.status, new ApiError(e.status, e.getMessage()));
            return;
        }
        try {
            job = jobs.submit(exchange.getMessage().getBody(byte[].class));
        } catch (InvalidTrainingRequestException e) {
            LOG.warn("Training request refused ({}): {}", e.status(), e.getMessage());
            JsonResponse.write(exchange, e.status(), new ApiError(e.status(), e.getMessage()));
            return;
        }
        if (!"true".equalsIgnoreCase(exchange.getMessage().getHeader("wait", String.class))) {
            JsonResponse.write(exchange, 202, job);
            exchange.getMessage().setHeader("Location", JOBS + job.jobId());
            return;
        }
        TrainingJobReport done = jobs.await(job.jobId());
        if (done.result() != null) {
            JsonResponse.write(exchange, 200, done.result());
        } else {
            JsonResponse.write(exchange, done.error().status(), done.error());
        }
    }

    /** A training job's state, result or error; 404 when this instance does not know it. */
    public void job(Exchange exchange) throws JsonProcessingException {
        String id = exchange.getMessage().getHeader("job_id", String.class);
        Optional<TrainingJobReport> job = id == null ? Optional.empty() : jobs.find(id);
        if (job.isEmpty()) {
            JsonResponse.write(exchange, 404, new ApiError(404, "no training job " + Excerpt.of(String.valueOf(id))
                    + " on this instance (the newest jobs are kept, in memory)"));
            return;
        }
        JsonResponse.write(exchange, 200, job.get());
    }

    /**
     * The newest episodes ({@code ?asset_id=&since=&before=&limit=}, limit 1-1000, default 100), newest first; the
     * next page: {@code before} = the last one's {@code opened_at}.
     */
    public void episodes(Exchange exchange) throws JsonProcessingException {
        Integer limit = OperatorApi.limit(exchange);
        if (limit == null) {
            return;
        }
        String since = exchange.getMessage().getHeader("since", String.class);
        String before = exchange.getMessage().getHeader("before", String.class);
        for (String bound : new String[]{since, before}) {
            if (bound != null) {
                try {
                    Instant.parse(bound);
                } catch (DateTimeParseException e) {
                    JsonResponse.write(exchange, 400, new ApiError(400, (bound == since ? "since" : "before")
                            + " must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, got " + Excerpt.of(bound)));
                    return;
                }
            }
        }
        JsonResponse.write(exchange, 200, Map.of("episodes", history.episodes(
                exchange.getMessage().getHeader("asset_id", String.class), since, before, limit)));
    }

    /**
     * Every asset known from its episodes (every instance's), its maintenance windows or this instance's verdicts:
     * normal, anomalous (since when, how critical, its open episode) or in maintenance, with its last episode, its
     * last verdict here and the model set that gave it.
     */
    public void assets(Exchange exchange) throws JsonProcessingException {
        Map<String, Map<String, Object>> byAsset = new TreeMap<>();
        for (Map<String, Object> fromEpisodes : history.assets()) {
            byAsset.put((String) fromEpisodes.get("asset_id"), fromEpisodes);
        }
        Map<String, AnomalyResult> lastVerdicts = activity.lastVerdicts();
        lastVerdicts.keySet().forEach(asset -> byAsset.computeIfAbsent(asset, this::normalAsset));
        maintenance.windows(null).forEach(window -> byAsset.computeIfAbsent(window.assetId(), this::normalAsset));
        Instant now = Instant.now();
        List<Map<String, Object>> assets = new ArrayList<>(byAsset.size());
        byAsset.forEach((asset, state) -> {
            MaintenanceWindow window = maintenance.at(asset, null, now.toEpochMilli());
            JsonNode lastEpisode = (JsonNode) state.get("last_episode");
            boolean open = "anomalous".equals(state.get("state"));
            AnomalyResult last = lastVerdicts.get(asset);
            state.put("state", window != null ? "in_maintenance" : open ? "anomalous" : "normal");
            state.put("open_episode", open ? lastEpisode : null);
            state.put("maintenance", window);
            state.put("last_verdict", last == null ? null : verdict(last));
            state.put("model_scope", last != null ? last.modelScope()
                    : lastEpisode == null ? null : lastEpisode.path("model_scope").asText());
            state.put("model_version", last != null ? Long.valueOf(last.modelVersion())
                    : lastEpisode == null ? null : Long.valueOf(lastEpisode.path("model_version").asLong()));
            assets.add(state);
        });
        JsonResponse.write(exchange, 200, Map.of("assets", assets));
    }

    private Map<String, Object> normalAsset(String asset) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("asset_id", asset);
        state.put("state", "normal");
        state.put("anomalous_since", null);
        state.put("criticality", null);
        state.put("last_episode", null);
        return state;
    }

    private static Map<String, Object> verdict(AnomalyResult result) {
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("timestamp", result.timestamp());
        verdict.put("sensor_id", result.sensorId());
        verdict.put("final_score", result.finalScore());
        verdict.put("is_anomaly", result.isAnomaly());
        verdict.put("criticality", result.criticality().jsonName());
        verdict.put("in_maintenance", result.inMaintenance());
        verdict.put("top_features", result.topFeatures());
        return verdict;
    }

    /**
     * The asset's recent final scores on this instance ({@code ?limit=}, 1-1000, default 100), oldest first, with
     * the levels to read them against: the vote threshold of the asset's model set and the scores of the high and
     * critical levels.
     */
    public void scores(Exchange exchange) throws JsonProcessingException {
        String asset = exchange.getMessage().getHeader("asset_id", String.class);
        try {
            JsonFields.pathId("asset_id", asset);
        } catch (JsonFields.BadRequest e) {
            JsonResponse.write(exchange, e.status, new ApiError(e.status, e.getMessage()));
            return;
        }
        Integer limit = OperatorApi.limit(exchange);
        if (limit == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("asset_id", asset);
        body.put("vote_threshold", registry.forAsset(asset).map(ModelSet::ensembleThreshold).orElse(null));
        body.put("high_score", Rarity.score(scoring.highRarity()));
        body.put("critical_score", Rarity.score(scoring.criticalRarity()));
        body.put("points", activity.points(asset, limit));
        JsonResponse.write(exchange, 200, body);
    }

    /** Returns an asset to its previous model set ({@link TrainingService#rollback}). */
    public void rollback(Exchange exchange) throws JsonProcessingException {
        String asset = exchange.getMessage().getHeader("asset_id", String.class);
        if (asset == null || asset.isBlank() || asset.length() > FeatureMessage.MAX_ID_LENGTH
                || asset.chars().anyMatch(Character::isISOControl)) {
            JsonResponse.write(exchange, 400, new ApiError(400, "asset_id must be a non-blank id of at most "
                    + FeatureMessage.MAX_ID_LENGTH + " characters without control characters"));
            return;
        }
        try {
            Optional<ModelSet> restored = training.rollback(asset);
            if (restored.isEmpty()) {
                JsonResponse.write(exchange, 404, new ApiError(404, "asset " + Excerpt.of(asset)
                        + " has no model set of its own to roll back"));
                return;
            }
            ModelSet set = restored.get();
            JsonResponse.write(exchange, 200, new RollbackReport(asset, set.scope().key(), set.version(),
                    set.trainedAt().toString()));
        } catch (IOException | RuntimeException e) {
            LOG.error("Rollback of asset {} failed; its model set in service is unchanged", Excerpt.of(asset), e);
            JsonResponse.write(exchange, 500, new ApiError(500, "rollback failed: " + e.getMessage()
                    + "; the model set in service is unchanged"));
        }
    }

    public void status(Exchange exchange) throws JsonProcessingException {
        ModelSet models = registry.current().orElse(null);
        List<StatusReport.Model> reports = models == null ? List.of() : models.models().stream()
                .map(m -> new StatusReport.Model(m.name(), m.trainedAt().toString(), m.calibration().threshold(),
                        m.trainingRows(), models.featureNames(), models.version()))
                .toList();
        StatusReport.Pipeline pipeline = new StatusReport.Pipeline(
                gate.isConsuming() ? "consuming" : "waiting_for_models", inputTopic,
                stats.scored(), stats.anomalous(), stats.deadLettered(),
                stats.firstConsumed().map(Instant::toString).orElse(null));
        JsonResponse.write(exchange, 200, new StatusReport(models != null,
                models == null ? null : models.version(), reports, registry.summaries(), pipeline,
                new StatusReport.Training(training.isRunning(), training.progress()), jvm(),
                new StatusReport.FeedbackSummary(feedback.count(), feedback.newest(null, FEEDBACK_IN_STATUS))));
    }

    /**
     * The status page: one self-contained HTML file (no build step), read once, with its Content-Security-Policy
     * ({@link StatusPage}), no MIME sniffing and no referrer.
     */
    public void statusPage(Exchange exchange) {
        StatusPage page = statusPage;
        if (page == null) {
            page = StatusPage.load();
            statusPage = page;
        }
        exchange.getMessage().removeHeaders("*"); // never echo request headers (see JsonResponse)
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getMessage().setHeader("Content-Security-Policy", page.contentSecurityPolicy);
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
        exchange.getMessage().setHeader("Cache-Control", "no-cache");
        exchange.getMessage().setBody(page.html);
    }

    private static StatusReport.Jvm jvm() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new StatusReport.Jvm(heap.getUsed(), peak, heap.getMax());
    }
}
