package io.github.plantwatch.anomaly.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether the service creates the topics it uses ({@code kafka.create-topics}) and how they are replicated: a
 * factor of 0 means min(3, brokers in the cluster), so that one broker lost loses nothing on a production cluster
 * while a single test broker still works; {@code min.insync.replicas} (2 by default) is capped at the factor, so
 * that with acks=all a write is on two brokers before it counts as written.
 */
public record TopicCreation(boolean enabled, int replicationFactor, int minInsyncReplicas) {

    /** The replication factor for this cluster. */
    public short factor(Admin admin) throws Exception {
        if (replicationFactor > 0) {
            return (short) replicationFactor;
        }
        int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        return (short) Math.max(1, Math.min(3, brokers));
    }

    /** The topic-level settings that go with the factor, plus {@code others}. */
    public Map<String, String> configs(short factor, Map<String, String> others) {
        Map<String, String> configs = new HashMap<>(others);
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(Math.min(minInsyncReplicas, factor)));
        return configs;
    }
}
