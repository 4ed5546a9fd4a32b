package io.github.plantwatch.anomaly.stream;

/**
 * Automatic retraining per asset from a stream's own recent records ({@code retraining.*} in
 * application.properties, README "Models that follow the plant").
 *
 * @param everyRecords a stream proposes a candidate model set for its asset every this many records (and when the
 *                     settle rule takes a new normal); 0 = never
 * @param historyRows  how many of a stream's last records are kept: the candidate learns from those judged normal
 *                     (the maximum age of what it learns from)
 * @param minRows      the fewest records judged normal a candidate is trained on
 * @param shadowRows   the newest records, kept out of the candidate's training, that both the candidate and the set
 *                     in service score before the candidate may replace it
 * @param newNormalAfter a stream judged anomalous for this many records in a row, with too few records judged
 *                       normal left to retrain on, proposes a candidate trained on all its recent records: a change
 *                       that lasts this long is taken as a new normal (it has raised its alarm all along), if the
 *                       candidate describes the newest records better than the set in service
 * @param maxStreams     how many streams keep a history (the others are not retrained): bounds the memory
 */
public record RetrainingSettings(int everyRecords, int historyRows, int minRows, int shadowRows, int newNormalAfter,
                                 int maxStreams) {

    public static final RetrainingSettings OFF = new RetrainingSettings(0, 1, 1, 0, 0, 0);

    public RetrainingSettings {
        if (everyRecords < 0 || minRows < 1 || shadowRows < 0 || newNormalAfter < 0 || maxStreams < 0) {
            throw new IllegalArgumentException("retraining: every-records, shadow-rows, new-normal-after and "
                    + "max-streams must be >= 0 and min-rows >= 1");
        }
        if (everyRecords > 0 && historyRows < minRows + shadowRows) {
            throw new IllegalArgumentException("retraining: history-rows (" + historyRows + ") must hold min-rows ("
                    + minRows + ") plus shadow-rows (" + shadowRows + ")");
        }
    }

    public boolean enabled() {
        return everyRecords > 0 && maxStreams > 0;
    }
}
