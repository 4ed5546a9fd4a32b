package io.github.plantwatch.anomaly.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks at-least-once delivery after a fault: waits until the service's consumer group has committed everything on
 * the input topic, reads the output and dead-letter topics whole, and accounts for every input record: a valid one
 * must have an output (traced by {@code metadata.seq}), an invalid one a dead letter (traced by
 * {@code x-source-partition} / {@code x-source-offset}). More than one is a duplicate; none is a loss. A valid
 * record's dead letter is not its delivery: a valid record with no result is lost, and its dead letter, like an
 * invalid record's result, counts as a duplicate (a delivery where there should be none).
 */
public final class DeliveryAudit {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int READ_PATIENCE_MINUTES = 2;

    private DeliveryAudit() {
    }

    /**
     * What one fault test measured; {@link #print()} writes the line docs/reliability.md is built from. Duplicates
     * are counted where they landed: on the output topic and on the dead-letter topic.
     */
    public record Report(String fault, int sent, int outputs, int deadLetters, int duplicateResults,
                         int duplicateDeadLetters, int lost, List<ConsumerRecord<byte[], byte[]>> outputRecords) {

        public int duplicates() {
            return duplicateResults + duplicateDeadLetters;
        }

        public Report print() {
            System.out.printf("RELIABILITY | %s | sent %d | outputs %d | dead letters %d | duplicates %d (results %d, "
                            + "dead letters %d) | lost %d%n", fault, sent, outputs, deadLetters, duplicates(),
                    duplicateResults, duplicateDeadLetters, lost);
            return this;
        }

        public JsonNode output(int index) {
            try {
                return JSON.readTree(outputRecords.get(index).value());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Report audit(String fault, String bootstrapServers, RunningService.Topics topics,
                               List<FeatureStream.Sent> sent) throws Exception {
        return audit(fault, bootstrapServers, topics, sent, Map.of());
    }

    /**
     * As {@link #audit(String, String, RunningService.Topics, List)}, after the output topic was deleted and created
     * again: a valid record below {@code resultsOnDeletedTopicBelow} (by input partition: the group's committed
     * offsets when the topic came back) counts as delivered once already, since the route commits a record only
     * after Kafka acknowledged its result, which with the topic gone can only have been on the deleted topic; a
     * result of it on the new topic is a duplicate.
     */
    public static Report audit(String fault, String bootstrapServers, RunningService.Topics topics,
                               List<FeatureStream.Sent> sent, Map<Integer, Long> resultsOnDeletedTopicBelow)
            throws Exception {
        awaitCaughtUp(bootstrapServers, topics, Await.PATIENCE);
        List<ConsumerRecord<byte[], byte[]>> outputs = readAll(bootstrapServers, topics.output());
        List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(bootstrapServers, topics.deadLetter());
        Ledger ledger = new Ledger(sent.size());
        for (ConsumerRecord<byte[], byte[]> output : outputs) {
            ledger.result(JSON.readTree(output.value()));
        }
        deadLetters.forEach(ledger::deadLetter);
        Ledger.Balance balance = ledger.balance(sent, resultsOnDeletedTopicBelow);
        return new Report(fault, sent.size(), outputs.size(), deadLetters.size(), balance.duplicateResults(),
                balance.duplicateDeadLetters(), balance.lost(), outputs).print();
    }

    /**
     * Results and dead letters counted as they are read, so a long run's millions of results need not be held: a
     * result by its {@code metadata.seq}, a dead letter by where it was read ({@code x-source-partition} /
     * {@code x-source-offset}); {@link #balance} then accounts for every input record.
     */
    public static final class Ledger {

        /**
         * Duplicates, counted on the topic they landed on: deliveries beyond the first, and deliveries where there
         * should be none; lost: none at all.
         */
        public record Balance(int duplicateResults, int duplicateDeadLetters, int lost) {
            public int duplicates() {
                return duplicateResults + duplicateDeadLetters;
            }
        }

        private final int[] resultsBySeq;
        private final Map<String, Integer> deadLettersBySource = new HashMap<>();

        /** For records numbered 0 to {@code records} - 1. */
        public Ledger(int records) {
            this.resultsBySeq = new int[records];
        }

        public void result(JsonNode result) {
            JsonNode seq = result.at("/metadata/seq");
            if (seq.isInt() && seq.asInt() >= 0 && seq.asInt() < resultsBySeq.length) {
                resultsBySeq[seq.asInt()]++;
            }
        }

        public void deadLetter(ConsumerRecord<byte[], byte[]> deadLetter) {
            deadLettersBySource.merge(source(deadLetter), 1, Integer::sum);
        }
        /** Where a dead letter's record was read: {@code partition@offset}, as {@link #source(FeatureStream.Sent)}. */
        public static String source(ConsumerRecord<byte[], byte[]> deadLetter) {
            return TopicReader.header(deadLetter, "x-source-partition") + "@"
                    + TopicReader.header(deadLetter, "x-source-offset");
        }

        public static String source(FeatureStream.Sent record) {
            return record.partition() + "@" + record.offset();
        }

        public Balance balance(List<FeatureStream.Sent> sent) {
            return balance(sent, Map.of());
        }

        /**
         * @param resultsOnDeletedTopicBelow by input partition, the offsets below which a valid record's result was
         *                                   on an output topic since deleted (see {@link DeliveryAudit#audit})
         */
        public Balance balance(List<FeatureStream.Sent> sent, Map<Integer, Long> resultsOnDeletedTopicBelow) {
            int duplicateResults = 0;
            int duplicateDeadLetters = 0;
            int lost = 0;
            for (FeatureStream.Sent record : sent) {
                boolean onDeletedTopic = record.valid()
                        && record.offset() < resultsOnDeletedTopicBelow.getOrDefault(record.partition(), 0L);
                int results = resultsBySeq[record.seq()] + (onDeletedTopic ? 1 : 0);
                int dead = deadLettersBySource.getOrDefault(source(record), 0);
                int delivered = record.valid() ? results : dead;
                if (delivered == 0) {
                    lost++;
                }
                // beyond its one delivery, every copy of a record on either topic is a duplicate
                duplicateResults += record.valid() ? Math.max(0, results - 1) : results;
                duplicateDeadLetters += record.valid() ? dead : Math.max(0, dead - 1);
            }
            return new Balance(duplicateResults, duplicateDeadLetters, lost);
        }
    }

    /** Waits until the group's committed offset is the end of every input partition (the service has caught up). */
    public static void awaitCaughtUp(String bootstrapServers, RunningService.Topics topics, Duration timeout)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
             KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = partitions(consumer, topics.input());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(topics.group())
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                if (ends.entrySet().stream().allMatch(end -> end.getValue() == 0 || (committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() >= end.getValue()))) {
                    return;
                }
                Thread.sleep(250);
            }
            // not fatal here: the report then shows what is missing
            System.out.println("RELIABILITY | warning: group " + topics.group() + " not caught up after " + timeout);
        }
    }

    /** How many input records the group has committed so far, over all partitions. */
    public static long committed(String bootstrapServers, String group) throws Exception {
        return committedOffsets(bootstrapServers, group).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The group's committed offset of every input partition it has committed on, by partition number. */
    public static Map<Integer, Long> committedOffsets(String bootstrapServers, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<Integer, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((partition, offset) -> offsets.put(partition.partition(),
                            offset == null ? 0 : offset.offset()));
            return offsets;
        }
    }

    /** Waits until the group has committed at least {@code records} input records: the stream is under way. */
    public static void awaitCommitted(String bootstrapServers, String group, long records) throws Exception {
        Await.until(records + " records committed by " + group, Await.PATIENCE,
                () -> committed(bootstrapServers, group) >= records);
    }

    /** Every record of a topic once it holds at least {@code count} (waiting up to {@link Await#PATIENCE}). */
    public static List<ConsumerRecord<byte[], byte[]>> readAtLeast(String bootstrapServers, String topic, int count)
            throws Exception {
        List<List<ConsumerRecord<byte[], byte[]>>> read = new ArrayList<>(List.of(List.of()));
        try {
            Await.until(count + " records on " + topic, Await.PATIENCE, () -> {
                read.set(0, readAll(bootstrapServers, topic));
                return read.get(0).size() >= count;
            });
        } catch (AssertionError timedOut) {
            // return what is there: the caller's assertions then say what is missing
        }
        return read.get(0);
    }

    /** Every record of a topic, partition by partition, in offset order. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        forEach(bootstrapServers, topic, records::add);
        return records;
    }

    /**
     * Hands every record of a topic to {@code action}, partition by partition, in offset order, without keeping them;
     * gives up when no record has come for {@value #READ_PATIENCE_MINUTES} minutes before the end.
     */
    public static void forEach(String bootstrapServers, String topic,
                               Consumer<ConsumerRecord<byte[], byte[]>> action) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(READ_PATIENCE_MINUTES);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end: nothing came for "
                            + READ_PATIENCE_MINUTES + " minutes");
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(READ_PATIENCE_MINUTES);
                }
                records.forEach(action);
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

}
