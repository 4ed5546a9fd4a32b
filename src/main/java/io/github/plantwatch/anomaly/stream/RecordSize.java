package io.github.plantwatch.anomaly.stream;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * About what Kafka counts as a record's size: its value, key and headers. With the byte-array deserializers the
 * route uses, the key and every Kafka header arrive as {@code byte[]} Camel headers; Camel's own headers (topic,
 * partition, offset...) are not byte arrays and are not counted.
 */
final class RecordSize {

    private RecordSize() {
    }

    static long of(Message record) {
        byte[] value = record.getBody(byte[].class);
        long size = value == null ? 0 : value.length;
        for (Map.Entry<String, Object> header : record.getHeaders().entrySet()) {
            if (header.getValue() instanceof byte[] bytes) {
                boolean key = KafkaConstants.KEY.equals(header.getKey());
                size += bytes.length + (key ? 0 : header.getKey().getBytes(StandardCharsets.UTF_8).length);
            }
        }
        return size;
    }
}
