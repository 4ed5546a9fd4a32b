package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.FeatureContribution;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream's scoring state as the stream-state changelog stores it ({@code docs/stream-state-format.md}): what
 * its next verdicts depend on, under the model set {@code modelIdentity}. Format 1, big-endian: a format byte, the
 * asset id and the model identity (modified UTF-8), then the fields in declaration order (arrays with an int32
 * length first; the window's slots in ring order, an unfilled slot as length 0). The retraining history is not
 * part of it: a restored stream collects its retraining rows again. Then its anomaly episode: episodes opened, open,
 * opened at (empty: none), peak criticality (ordinal), peak score, the peak's top features (int32 count, then name,
 * contribution, observed, expected each), anomalous records, quiet verdicts; from format 2, the episode's envelope
 * (int32 count, then name, low, high each); from format 3, the vote count when a vote resting on a sequence
 * detector's window alone last counted (int64, -1: none). Formats 1 and 2 are still read (an empty envelope; no
 * such vote).
 *
 * @param window the sequence detectors' ring of standardized vectors, slot by slot, and how many were pushed
 * @param votes  the persistence rule's ring of votes, slot by slot, and how many were cast
 */
public record StreamSnapshot(String assetId, String modelIdentity, double[][] window, long pushed, boolean[] votes,
                             long cast, int quietVotes, double[] shift, double[] pending, int clearRecords,
                             double[] recent, double[] anchor, boolean settleStarted, int steadyRecords,
                             int anomalousWhileSteady, Episode episode, long windowVoteCast) {

    static final int FORMAT = 3;
    private static final int FORMAT_WITHOUT_WINDOW_VOTE = 2;
    private static final int FORMAT_WITHOUT_ENVELOPE = 1;

    public byte[] encode() {
        ByteSink out = new ByteSink(1024);
        encodeInto(out);
        return out.toByteArray();
    }

    void encodeInto(ByteSink out) {
        out.writeByte(FORMAT);
        out.writeUTF(assetId);
        out.writeUTF(modelIdentity);
        out.writeInt(window.length);
        for (double[] slot : window) {
            out.writeDoubles(slot == null ? new double[0] : slot);
        }
        out.writeLong(pushed);
        out.writeInt(votes.length);
        for (boolean vote : votes) {
            out.writeBoolean(vote);
        }
        out.writeLong(cast);
        out.writeInt(quietVotes);
        out.writeDoubles(shift);
        out.writeDoubles(pending);
        out.writeInt(clearRecords);
        out.writeDoubles(recent);
        out.writeDoubles(anchor);
        out.writeBoolean(settleStarted);
        out.writeInt(steadyRecords);
        out.writeInt(anomalousWhileSteady);
        out.writeLong(episode.opened);
        out.writeBoolean(episode.open);
        out.writeUTF(episode.openedAt == null ? "" : episode.openedAt);
        out.writeByte(episode.peak.ordinal());
        out.writeDouble(episode.peakScore);
        out.writeInt(episode.peakFeatures.size());
        for (FeatureContribution feature : episode.peakFeatures) {
            out.writeUTF(feature.name());
            out.writeDouble(feature.contribution());
            out.writeDouble(feature.observed());
            out.writeDouble(feature.expected());
        }
        out.writeLong(episode.records);
        out.writeInt(episode.quiet);
        out.writeInt(episode.envelope.size());
        for (var range : episode.envelope.entrySet()) {
            out.writeUTF(range.getKey());
            out.writeDouble(range.getValue()[0]);
            out.writeDouble(range.getValue()[1]);
        }
        out.writeLong(windowVoteCast);
    }

    /** @throws IllegalArgumentException when the bytes are not a snapshot of format 1, 2 or 3 */
    public static StreamSnapshot decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format < FORMAT_WITHOUT_ENVELOPE || format > FORMAT) {
                throw new IllegalArgumentException("stream state of format " + format + ", this version reads "
                        + FORMAT_WITHOUT_ENVELOPE + " to " + FORMAT);
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
            long cast = in.readLong();
            int quietVotes = in.readInt();
            double[] shift = read(in, bytes.length);
            double[] pending = read(in, bytes.length);
            int clearRecords = in.readInt();
            double[] recent = read(in, bytes.length);
            double[] anchor = read(in, bytes.length);
            boolean settleStarted = in.readBoolean();
            int steadyRecords = in.readInt();
            int anomalousWhileSteady = in.readInt();
            Episode episode = episode(in, bytes.length, format > FORMAT_WITHOUT_ENVELOPE);
            long windowVoteCast = format > FORMAT_WITHOUT_WINDOW_VOTE ? in.readLong() : -1;
            return new StreamSnapshot(asset, identity, window, pushed, votes, cast, quietVotes, shift, pending,
                    clearRecords, recent, anchor, settleStarted, steadyRecords, anomalousWhileSteady, episode,
                    windowVoteCast);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated stream state (" + bytes.length + " bytes)", e);
        }
    }

    private static Episode episode(DataInputStream in, int limit, boolean withEnvelope) throws IOException {
        Episode episode = new Episode();
        episode.opened = in.readLong();
        episode.open = in.readBoolean();
        String openedAt = in.readUTF();
        episode.openedAt = openedAt.isEmpty() ? null : openedAt;
        int peak = in.readUnsignedByte();
        if (peak >= Criticality.values().length) {
            throw new IllegalArgumentException("stream state with criticality " + peak);
        }
        episode.peak = Criticality.values()[peak];
        episode.peakScore = in.readDouble();
        List<FeatureContribution> features = new ArrayList<>();
        for (int i = length(in, limit); i > 0; i--) {
            features.add(new FeatureContribution(in.readUTF(), in.readDouble(), in.readDouble(), in.readDouble()));
        }
        episode.peakFeatures = List.copyOf(features);
        episode.records = in.readLong();
        episode.quiet = in.readInt();
        if (withEnvelope) {
            for (int i = length(in, limit); i > 0; i--) {
                episode.envelope.put(in.readUTF(), new double[]{in.readDouble(), in.readDouble()});
            }
        }
        return episode;
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
