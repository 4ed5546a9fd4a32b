package io.github.plantwatch.anomaly.stream;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream-state formats are DataOutputStream's encoding: the sink must write the same bytes. */
class ByteSinkTest {

    @Test
    void writesWhatDataOutputStreamWrites() throws IOException {
        Random random = new Random(3);
        ByteSink sink = new ByteSink(4); // small: growing is exercised
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream reference = new DataOutputStream(expected);
        String[] texts = {"", "ASSET-0001", "PUMP-7\u0000VIB-1", "Lüfter Ø 3 – Halle 2", "泵-3", "\uD83D\uDD27 emoji"};
        for (int i = 0; i < 2_000; i++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    int b = random.nextInt(256);
                    sink.writeByte(b);
                    reference.writeByte(b);
                }
                case 1 -> {
                    boolean b = random.nextBoolean();
                    sink.writeBoolean(b);
                    reference.writeBoolean(b);
                }
                case 2 -> {
                    int v = random.nextInt();
                    sink.writeInt(v);
                    reference.writeInt(v);
                }
                case 3 -> {
                    long v = random.nextLong();
                    sink.writeLong(v);
                    reference.writeLong(v);
                }
                case 4 -> {
                    double v = switch (random.nextInt(4)) {
                        case 0 -> Double.NaN;
                        case 1 -> -0.0;
                        case 2 -> Double.longBitsToDouble(0x7ff8_0000_0000_0001L); // a NaN of other bits
                        default -> random.nextGaussian() * 1e6;
                    };
                    sink.writeDouble(v);
                    reference.writeDouble(v);
                }
                default -> {
                    String text = texts[random.nextInt(texts.length)];
                    sink.writeUTF(text);
                    reference.writeUTF(text);
                }
            }
        }
        assertArrayEquals(expected.toByteArray(), sink.toByteArray());
    }

    @Test
    void aLengthWrittenAfterItsContent() throws IOException {
        ByteSink sink = new ByteSink(2);
        int start = sink.startLength();
        sink.writeLong(7);
        sink.writeUTF("x");
        sink.endLength(start);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream reference = new DataOutputStream(expected);
        reference.writeInt(11);
        reference.writeLong(7);
        reference.writeUTF("x");
        assertArrayEquals(expected.toByteArray(), sink.toByteArray());
    }

    @Test
    void refusesATextLongerThanItsLengthField() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new ByteSink(16).writeUTF("é".repeat(40_000)));
        assertTrue(refused.getMessage().contains("80000 bytes"), refused.getMessage());
    }
}
