package io.github.plantwatch.anomaly.stream;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * One changelog record of a stream ({@code docs/stream-state-format.md}): its state after a batch, and before it
 * with the offset of the batch's first record of the stream. Restoring for a batch that starts at or before that
 * offset (the same batch read again: checkpointed, not committed) takes the state before, so nothing is applied
 * twice; a later batch takes the state after.
 *
 * @param before the state before the batch and where the batch's first record of the stream was
 * @param after  the state after the batch
 */
record StreamCheckpoint(Before before, StreamSnapshot after) {

    static final int FORMAT = 1;

    /** @param state null when the stream had no state before the batch */
    record Before(long firstOffset, StreamSnapshot state) {
    }

    /** The state to score a batch starting at {@code batchStart} with (null: the stream starts again). */
    StreamSnapshot asOf(long batchStart) {
        return batchStart <= before.firstOffset() ? before.state() : after;
    }

    byte[] encode() {
        ByteSink out = new ByteSink(2048);
        out.writeByte(FORMAT);
        out.writeLong(before.firstOffset());
        int beforeStart = out.startLength();
        if (before.state() != null) {
            before.state().encodeInto(out);
        }
        out.endLength(beforeStart);
        int afterStart = out.startLength();
        after.encodeInto(out);
        out.endLength(afterStart);
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a checkpoint of format 1 */
    static StreamCheckpoint decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("stream checkpoint of format " + format + ", this version reads "
                        + FORMAT);
            }
            long firstOffset = in.readLong();
            byte[] before = read(in, bytes.length);
            byte[] after = read(in, bytes.length);
            return new StreamCheckpoint(new Before(firstOffset,
                    before.length == 0 ? null : StreamSnapshot.decode(before)), StreamSnapshot.decode(after));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated stream checkpoint (" + bytes.length + " bytes)", e);
        }
    }

    private static byte[] read(DataInputStream in, int limit) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > limit) {
            throw new IllegalArgumentException("stream checkpoint part of " + length + " bytes in " + limit);
        }
        return in.readNBytes(length);
    }
}
