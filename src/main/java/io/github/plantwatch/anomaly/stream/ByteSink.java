package io.github.plantwatch.anomaly.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte array a stream's state is written into, in {@link java.io.DataOutputStream}'s encoding
 * (big-endian, modified UTF-8), without its cost: a stream's state is encoded on every batch, about a hundred
 * fields, and {@code DataOutputStream} over a byte stream made each number several calls, each checking for room
 * (the checkpoints were 12 % of a consumer thread's time in the benchmark's profile). Here a number is one store.
 */
final class ByteSink {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] bytes;
    private int size;

    ByteSink(int capacity) {
        this.bytes = new byte[capacity];
    }

    void writeByte(int value) {
        room(1);
        bytes[size++] = (byte) value;
    }

    void writeBoolean(boolean value) {
        writeByte(value ? 1 : 0);
    }

    void writeInt(int value) {
        room(Integer.BYTES);
        INT.set(bytes, size, value);
        size += Integer.BYTES;
    }

    void writeLong(long value) {
        room(Long.BYTES);
        LONG.set(bytes, size, value);
        size += Long.BYTES;
    }

    /** As {@code DataOutputStream.writeDouble}: the bits, NaN in its one canonical form. */
    void writeDouble(double value) {
        writeLong(Double.doubleToLongBits(value));
    }

    /** An int32 count, then the values. */
    void writeDoubles(double[] values) {
        room(Integer.BYTES + values.length * Long.BYTES);
        writeInt(values.length);
        for (double value : values) {
            writeDouble(value);
        }
    }

    /** As {@code DataOutputStream.writeUTF}: a uint16 byte count, then modified UTF-8 (NUL as two bytes). */
    void writeUTF(String text) {
        int start = size;
        writeByte(0);
        writeByte(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x01 && c <= 0x7F) {
                writeByte(c);
            } else if (c <= 0x7FF) {
                writeByte(0xC0 | (c >> 6));
                writeByte(0x80 | (c & 0x3F));
            } else {
                writeByte(0xE0 | (c >> 12));
                writeByte(0x80 | ((c >> 6) & 0x3F));
                writeByte(0x80 | (c & 0x3F));
            }
        }
        int length = size - start - 2;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("a text of " + length + " bytes in modified UTF-8; at most 65535");
        }
        bytes[start] = (byte) (length >>> 8);
        bytes[start + 1] = (byte) length;
    }

    /** Where a length written later goes: {@link #endLength} writes there the bytes written since. */
    int startLength() {
        writeInt(0);
        return size;
    }

    void endLength(int start) {
        INT.set(bytes, start - Integer.BYTES, size - start);
    }

    void write(byte[] source) {
        room(source.length);
        System.arraycopy(source, 0, bytes, size, source.length);
        size += source.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
        }
    }
}
