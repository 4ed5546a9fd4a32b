package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.AnomalyResult;
import io.github.plantwatch.anomaly.contract.Criticality;
import io.github.plantwatch.anomaly.contract.EpisodeEvent;
import io.github.plantwatch.anomaly.contract.FeatureContribution;
import io.github.plantwatch.anomaly.contract.FeatureRange;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A stream's episode from its verdicts: opened, raised, closed after the quiet time, numbered; kept by snapshots. */
class EpisodeTest {

    private static final int QUIET = 3;

    @Test
    void opensRisesAndClosesAfterTheQuietTime() {
        Episode episode = new Episode();
        List<EpisodeEvent> events = new ArrayList<>();
        String[] verdicts = {"low", "medium", "medium", "critical", "high", "low", "low", "medium", "low", "low", "low",
                "low", "high"};
        for (int t = 0; t < verdicts.length; t++) {
            EpisodeEvent event = episode.after(result(t, verdicts[t]), QUIET);
            if (event != null) {
                events.add(event);
            }
        }
        assertEquals(List.of("opened", "updated", "closed", "opened"), events.stream().map(EpisodeEvent::event).toList());
        EpisodeEvent opened = events.get(0);
        assertEquals("PUMP-1/VIB-1/1", opened.episodeId());
        assertEquals("t1", opened.openedAt());
        assertEquals(Criticality.MEDIUM, opened.peakCriticality());
        EpisodeEvent raised = events.get(1);
        assertEquals(Criticality.CRITICAL, raised.peakCriticality());
        assertEquals("t3", raised.updatedAt());
        assertEquals(List.of("rms"), raised.topFeatures().stream().map(FeatureContribution::name).toList());
        EpisodeEvent closed = events.get(2);
        assertEquals("PUMP-1/VIB-1/1", closed.episodeId(), "a flicker inside the quiet time stays one episode");
        assertEquals("t10", closed.closedAt());
        assertEquals(5, closed.records(), "t1-t4 and t7");
        assertEquals(Criticality.CRITICAL, closed.peakCriticality());
        assertEquals("PUMP-1/VIB-1/2", events.get(3).episodeId());
        assertNull(opened.closedAt());
        assertEquals(List.of(new FeatureRange("rms", 1, 7)), closed.envelope(),
                "the range of the anomalous records t1-t4 and t7 only");
        assertEquals(List.of(new FeatureRange("rms", 12, 12)), events.get(3).envelope(), "a new episode, a new range");
    }

    @Test
    void aSnapshotCarriesTheOpenEpisodeSoARestartNeitherRepeatsNorLosesIt() {
        Episode episode = new Episode();
        episode.after(result(0, "high"), QUIET);
        episode.after(result(1, "low"), QUIET);
        StreamSnapshot snapshot = new StreamSnapshot("PUMP-1", "global#1", new double[2][], 0, new boolean[3], 0, 0,
                new double[1], new double[1], 0, new double[1], new double[1], false, 0, 0, episode.copy(), 7);
        Episode restored = StreamSnapshot.decode(snapshot.encode()).episode();
        assertNull(restored.after(result(2, "high"), QUIET), "the same episode: no second 'opened'");
        restored.after(result(3, "low"), QUIET);
        restored.after(result(4, "low"), QUIET);
        EpisodeEvent closed = restored.after(result(5, "low"), QUIET);
        assertEquals("closed", closed.event());
        assertEquals("PUMP-1/VIB-1/1", closed.episodeId());
        assertEquals(2, closed.records());
        assertEquals("t0", closed.openedAt());
        assertEquals(List.of(new FeatureRange("rms", 0, 2)), closed.envelope(), "the envelope survives the restart");
    }

    @Test
    void snapshotsOfTheFormerFormatsAreRead() {
        Episode episode = new Episode();
        episode.after(result(0, "high"), QUIET);
        byte[] current = new StreamSnapshot("PUMP-1", "global#1", new double[2][], 0, new boolean[3], 0, 0,
                new double[1], new double[1], 0, new double[1], new double[1], false, 0, 0, episode.copy(), 7).encode();
        assertEquals(7, StreamSnapshot.decode(current).windowVoteCast());
        // format 2 = format 3 without the trailing vote count (int64)
        byte[] second = java.util.Arrays.copyOf(current, current.length - 8);
        second[0] = 2;
        StreamSnapshot withoutWindowVote = StreamSnapshot.decode(second);
        assertEquals(-1, withoutWindowVote.windowVoteCast(), "no window vote counted yet");
        assertEquals(List.of(new FeatureRange("rms", 0, 0)), withoutWindowVote.episode().envelope());
        // format 1 = format 2 without the trailing envelope (int32 count, then name, low, high: 2 + 3 + 16 bytes)
        byte[] former = java.util.Arrays.copyOf(second, second.length - 4 - (2 + 3 + 16));
        former[0] = 1;
        Episode restored = StreamSnapshot.decode(former).episode();
        assertEquals(1, restored.opened);
        assertEquals(List.of(), restored.envelope());
        former[0] = 4;
        assertEquals("stream state of format 4, this version reads 1 to 3", org.junit.jupiter.api.Assertions
                .assertThrows(IllegalArgumentException.class, () -> StreamSnapshot.decode(former)).getMessage());
    }

    @Test
    void anEventIsWrittenInItsDocumentedJsonForm() throws Exception {
        EpisodeEvent event = new Episode().after(result(0, "critical"), QUIET);
        assertEquals(List.of("episode_id", "event", "asset_id", "sensor_id", "opened_at", "updated_at", "closed_at",
                "peak_criticality", "peak_score", "top_features", "records", "model_scope", "model_version",
                "envelope"),
                iterate(JsonCodec.mapper().readTree(JsonCodec.mapper().writeValueAsBytes(event)).fieldNames()));
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static AnomalyResult result(int t, String criticality) {
        boolean anomaly = !criticality.equals("low");
        Criticality level = Criticality.valueOf(criticality.toUpperCase(java.util.Locale.ROOT));
        return new AnomalyResult("PUMP-1", "VIB-1", "t" + t, List.of(), anomaly ? 0.5 + level.ordinal() / 10.0 : 0.1,
                anomaly, level, Map.of("rms", (double) t), JsonCodec.mapper().createObjectNode(), 1, "global",
                anomaly ? List.of(new FeatureContribution("rms", 1, 1.0, 0.5)) : List.of(), null, false, null);
    }
}
