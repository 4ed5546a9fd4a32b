package io.github.plantwatch.anomaly.stream;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array to write a record into, as {@link java.io.ByteArrayOutputStream} without its locks: a
 * stream's state is encoded on every batch, a hundred small writes each, by the one thread that owns it.
 */
final class ByteSink extends OutputStream {

    private byte[] bytes;
    private int size;

    ByteSink(int capacity) {
        this.bytes = new byte[capacity];
    }

    @Override
    public void write(int b) {
        room(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        room(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
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
