package io.github.plantwatch.anomaly.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.record.RecordBatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A Kafka producer that does not wait twice in a row for the same topic. Kafka's producer blocks in {@code send} up
 * to {@code max.block.ms} for a topic missing from its metadata and reports the timeout through that record's future
 * only, and camel-kafka hands a batch's records to {@code send} one by one: a topic deleted after the route's
 * WrittenTopicsCheck passed the batch would hold the consumer thread max.block.ms per record (500 x 15 s at the
 * defaults), far past its poll interval. After a send timed out, the sends to that topic in the next max.block.ms
 * fail at once with a {@link TimeoutException} saying so (they would have waited on the same metadata); the batch
 * fails after one wait, and its next attempt is checked before it writes anything. Every other call is the
 * delegate's.
 */
final class FailFastProducer<K, V> implements Producer<K, V> {

    private final Producer<K, V> delegate;
    private final long maxBlockMillis;
    /** Per topic: until when (System.nanoTime) its sends fail at once. */
    private final Map<String, Long> failingUntil = new ConcurrentHashMap<>();

    FailFastProducer(Producer<K, V> delegate, long maxBlockMillis) {
        this.delegate = delegate;
        this.maxBlockMillis = maxBlockMillis;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        String topic = record.topic();
        Long until = failingUntil.get(topic);
        if (until != null && System.nanoTime() - until < 0) {
            TimeoutException error = new TimeoutException("Topic " + topic + " not present in metadata: a send to it "
                    + "has just waited " + maxBlockMillis + " ms (max.block.ms) in vain; failing at once instead "
                    + "of waiting again");
            if (callback != null) {
                // what Kafka's producer passes a failed record's callback: -1 everywhere but the topic and partition
                callback.onCompletion(new RecordMetadata(new TopicPartition(topic,
                        record.partition() == null ? RecordMetadata.UNKNOWN_PARTITION : record.partition()), -1, -1,
                        RecordBatch.NO_TIMESTAMP, -1, -1), error);
            }
            return CompletableFuture.failedFuture(error);
        }
        if (until != null) {
            failingUntil.remove(topic, until);
        }
        Future<RecordMetadata> sent = delegate.send(record, callback);
        if (timedOut(sent)) {
            failingUntil.put(topic, System.nanoTime() + maxBlockMillis * 1_000_000);
        }
        return sent;
    }

    /** Whether send returned a future already failed by a timeout: it waited max.block.ms for metadata or memory. */
    private static boolean timedOut(Future<RecordMetadata> sent) {
        if (!sent.isDone()) {
            return false;
        }
        try {
            sent.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof TimeoutException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void initTransactions() {
        delegate.initTransactions();
    }

    @Override
    public void beginTransaction() {
        delegate.beginTransaction();
    }

    @Override
    @Deprecated
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
        delegate.sendOffsetsToTransaction(offsets, consumerGroupId);
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                                         ConsumerGroupMetadata groupMetadata) {
        delegate.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public void commitTransaction() {
        delegate.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        delegate.abortTransaction();
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void close(Duration timeout) {
        delegate.close(timeout);
    }
}
