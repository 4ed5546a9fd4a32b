package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.MaintenanceWindow;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The maintenance windows of every asset, as the maintenance topic holds them (kafka.ControlLog fills it on every
 * instance). The scorer asks it about each record; an asset without a window costs one map look-up.
 */
public final class MaintenanceCalendar {

    /** A window with its times parsed once. */
    private record Entry(MaintenanceWindow window, Instant from, Instant until) {
    }

    private final Map<String, List<Entry>> byAsset = new ConcurrentHashMap<>();
    private final Map<String, String> assetOfWindow = new ConcurrentHashMap<>();

    /** Adds or replaces a window. @throws DateTimeParseException when its times are not ISO-8601 instants */
    public void put(MaintenanceWindow window) {
        Entry entry = new Entry(window, Instant.parse(window.from()), Instant.parse(window.until()));
        remove(window.windowId());
        assetOfWindow.put(window.windowId(), window.assetId());
        byAsset.compute(window.assetId(), (asset, entries) -> {
            List<Entry> next = entries == null ? new ArrayList<>() : new ArrayList<>(entries);
            next.add(entry);
            next.sort(Comparator.comparing(Entry::from));
            return List.copyOf(next);
        });
    }

    public void remove(String windowId) {
        String asset = assetOfWindow.remove(windowId);
        if (asset != null) {
            byAsset.computeIfPresent(asset, (key, entries) -> {
                List<Entry> next = entries.stream().filter(e -> !e.window().windowId().equals(windowId)).toList();
                return next.isEmpty() ? null : next;
            });
        }
    }

    /**
     * The window the asset is in for a record of that time, or null.
     *
     * @param timestamp the record's {@code timestamp}; when it is not an ISO-8601 instant, {@code nowMillis} is used
     */
    public MaintenanceWindow at(String assetId, String timestamp, long nowMillis) {
        List<Entry> entries = byAsset.get(assetId);
        if (entries == null) {
            return null;
        }
        Instant at;
        try {
            at = timestamp == null ? Instant.ofEpochMilli(nowMillis) : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            at = Instant.ofEpochMilli(nowMillis);
        }
        for (Entry entry : entries) {
            if (!at.isBefore(entry.from()) && at.isBefore(entry.until())) {
                return entry.window();
            }
        }
        return null;
    }

    /** The asset's windows, earliest first; every asset's when {@code assetId} is null. */
    public List<MaintenanceWindow> windows(String assetId) {
        return byAsset.entrySet().stream()
                .filter(e -> assetId == null || e.getKey().equals(assetId))
                .flatMap(e -> e.getValue().stream())
                .map(Entry::window)
                .toList();
    }
}
