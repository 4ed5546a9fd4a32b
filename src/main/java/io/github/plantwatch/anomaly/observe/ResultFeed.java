package io.github.plantwatch.anomaly.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live feed of the status page. The stream hands it every published result; every {@code periodMillis} it
 * sends subscribers one event with every anomaly since the last one (at most {@code maxAnomalies}) and the
 * latest result of each asset (at most {@code maxAssets}): a browser keeps up whatever the message rate, and
 * the hot path only does a map put, and nothing at all while nobody watches. At most {@code maxSubscribers} watch at
 * once: each costs a connection and a copy of every event in flight.
 */
public final class ResultFeed extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ResultFeed.class);

    private final long periodMillis;
    private final int maxAssets;
    private final int maxSubscribers;
    private final ArrayBlockingQueue<AnomalyResult> anomalies;
    private final Map<String, AnomalyResult> latestPerAsset = new ConcurrentHashMap<>();
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;

    public ResultFeed(long periodMillis, int maxAnomalies, int maxAssets, int maxSubscribers) {
        if (maxSubscribers < 1) {
            throw new IllegalArgumentException("status-page.feed-max-subscribers must be at least 1, got "
                    + maxSubscribers);
        }
        this.periodMillis = periodMillis;
        this.maxAssets = maxAssets;
        this.maxSubscribers = maxSubscribers;
        this.anomalies = new ArrayBlockingQueue<>(maxAnomalies);
    }

    /** Called by the stream with each batch's results once Kafka has acknowledged them. */
    public void publish(List<AnomalyResult> results) {
        if (subscribers.isEmpty()) {
            return;
        }
        for (AnomalyResult result : results) {
            if (result.isAnomaly()) {
                anomalies.offer(result); // full queue: the browser already has more than it can show
            }
            if (latestPerAsset.size() < maxAssets || latestPerAsset.containsKey(result.assetId())) {
                latestPerAsset.put(result.assetId(), result);
            }
        }
    }

    /** @return what to call when the subscriber goes away, or null when {@link #maxSubscribers()} already watch */
    public Runnable subscribe(Consumer<String> subscriber) {
        synchronized (subscribers) {
            if (subscribers.size() >= maxSubscribers) {
                return null;
            }
            subscribers.add(subscriber);
        }
        return () -> subscribers.remove(subscriber);
    }

    public int maxSubscribers() {
        return maxSubscribers;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    private void flush() {
        if (subscribers.isEmpty() || (anomalies.isEmpty() && latestPerAsset.isEmpty())) {
            return;
        }
        List<AnomalyResult> newAnomalies = new ArrayList<>();
        anomalies.drainTo(newAnomalies);
        Map<String, AnomalyResult> latest = new LinkedHashMap<>(latestPerAsset);
        latestPerAsset.keySet().removeAll(latest.keySet());
        try {
            String event = JsonCodec.mapper().writeValueAsString(
                    Map.of("anomalies", newAnomalies, "latest", latest.values()));
            for (Consumer<String> subscriber : subscribers) {
                subscriber.accept(event);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.debug("Feed event not sent: {}", e.toString());
        }
    }

    @Override
    protected void doStart() {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                runnable -> Thread.ofPlatform().daemon().name("status-feed").unstarted(runnable));
        scheduler.scheduleWithFixedDelay(this::flush, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        scheduler.shutdownNow();
    }
}
