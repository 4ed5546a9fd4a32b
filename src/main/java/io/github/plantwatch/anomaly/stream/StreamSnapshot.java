package io.github.plantwatch.anomaly.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One stream's scoring state as the stream-state changelog stores it ({@code docs/stream-state-format.md}): what
 * its next verdicts depend on, under the model set {@code modelIdentity}. Format 1, big-endian: a format byte, the
 * asset id and the model identity (modified UTF-8), then the fields in declaration order (arrays with an int32
 * length first; the window's slots in ring order, an unfilled slot as length 0). The retraining history is not
 * part of it: a restored stream collects its retraining rows again.
 *
 * @param window the sequence detectors' ring of standardized vectors, slot by slot, and how many were pushed
 * @param votes  the persistence rule's ring of votes, slot by slot, and how many were cast
 */
public record StreamSnapshot(String assetId, String modelIdentity, double[][] window, long pushed, boolean[] votes,
                             long cast, int quietVotes, double[] shift, double[] pending, int clearRecords,
                             double[] recent, double[] anchor, boolean settleStarted, int steadyRecords,
                             int anomalousWhileSteady) {

    static final int FORMAT = 1;

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(assetId);
            out.writeUTF(modelIdentity);
            out.writeInt(window.length);
            for (double[] slot : window) {
                write(out, slot == null ? new double[0] : slot);
            }
            out.writeLong(pushed);
            out.writeInt(votes.length);
            for (boolean vote : votes) {
                out.writeBoolean(vote);
            }
            out.writeLong(cast);
            out.writeInt(quietVotes);
            write(out, shift);
            write(out, pending);
            out.writeInt(clearRecords);
            write(out, recent);
            write(out, anchor);
            out.writeBoolean(settleStarted);
            out.writeInt(steadyRecords);
            out.writeInt(anomalousWhileSteady);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a snapshot of format 1 */
    public static StreamSnapshot decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("stream state of format " + format + ", this version reads "
                        + FORMAT);
            }
            String asset = in.readUTF();
            String identity = in.readUTF();
            double[][] window = new double[length(in, bytes.length)][];
            for (int i = 0; i < window.length; i++) {
                double[] slot = read(in, bytes.length);
                window[i] = slot.length == 0 ? null : slot;
            }
            long pushed = in.readLong();
            boolean[] votes = new boolean[length(in, bytes.length)];
            for (int i = 0; i < votes.length; i++) {
                votes[i] = in.readBoolean();
            }
            return new StreamSnapshot(asset, identity, window, pushed, votes, in.readLong(), in.readInt(),
                    read(in, bytes.length), read(in, bytes.length), in.readInt(), read(in, bytes.length),
                    read(in, bytes.length), in.readBoolean(), in.readInt(), in.readInt());
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated stream state (" + bytes.length + " bytes)", e);
        }
    }

    private static void write(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static int length(DataInputStream in, int limit) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > limit) {
            throw new IllegalArgumentException("stream state field of " + length + " values in " + limit + " bytes");
        }
        return length;
    }

    private static double[] read(DataInputStream in, int limit) throws IOException {
        double[] values = new double[length(in, limit)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }
}
