package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.Feedback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every operator feedback the service has received, in the order the feedback topic holds it (kafka.ControlLog fills
 * it on every instance): each new one gets the next sequence number, which streams use to tell what they have
 * applied. The scorer asks it, for a record that would vote, whether feedback declared such records of the asset
 * normal; an asset without such feedback costs one map look-up.
 */
public final class FeedbackBook {

    private final Map<String, Feedback> byId = new LinkedHashMap<>();
    private final List<Feedback> inOrder = new ArrayList<>();
    private final Map<String, List<Feedback>> declaredNormal = new ConcurrentHashMap<>();
    private volatile long count;

    /** Adds feedback (the same id twice counts once). */
    public synchronized void add(Feedback feedback) {
        if (byId.putIfAbsent(feedback.feedbackId(), feedback) != null) {
            return;
        }
        inOrder.add(feedback);
        if (feedback.declaresNormal() && !feedback.envelope().isEmpty()) {
            declaredNormal.merge(feedback.assetId(), List.of(feedback), (a, b) -> {
                List<Feedback> both = new ArrayList<>(a);
                both.addAll(b);
                return List.copyOf(both);
            });
        }
        count = inOrder.size();
    }

    /** How many feedback entries there are: the sequence number of the newest. */
    public long count() {
        return count;
    }

    /** The entries after the first {@code seen}, in order. */
    public synchronized List<Feedback> since(long seen) {
        return List.copyOf(inOrder.subList((int) Math.min(seen, inOrder.size()), inOrder.size()));
    }

    /** The asset's feedback with an envelope that declares records normal (false alarms, new normals). */
    public List<Feedback> declaredNormal(String assetId) {
        return declaredNormal.getOrDefault(assetId, List.of());
    }

    /** The newest {@code limit} entries, newest first, of one asset or all ({@code null}). */
    public synchronized List<Feedback> newest(String assetId, int limit) {
        List<Feedback> newest = new ArrayList<>();
        for (int i = inOrder.size() - 1; i >= 0 && newest.size() < limit; i--) {
            Feedback feedback = inOrder.get(i);
            if (assetId == null || feedback.assetId().equals(assetId)) {
                newest.add(feedback);
            }
        }
        return newest;
    }
}
