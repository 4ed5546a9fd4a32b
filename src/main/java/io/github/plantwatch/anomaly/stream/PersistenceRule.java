package io.github.plantwatch.anomaly.stream;

/**
 * When a stream's ensemble votes make an anomaly (operators' alarm persistence, with a deadband): an alarm is raised
 * when at least k of the stream's last n votes flagged (this one included), so a stray vote does not raise it, or at
 * once by a flagged vote whose final score reaches {@code immediate}, so a clear fault's first sample is never held
 * back; once raised it holds until k votes in a row are quiet, so a quiet sample inside a fault does not clear it
 * and the end of a fault clears it after k records.
 */
final class PersistenceRule {

    private final int minimum;
    private final double immediate;

    PersistenceRule(int minimum, double immediate) {
        this.minimum = minimum;
        this.immediate = immediate;
    }

    /**
     * @param raised          whether the stream's alarm was up before this record
     * @param flaggedVotes    how many of the last n votes flagged, this one included
     * @param quietVotes      how many votes in a row, up to this one, did not flag
     * @param vote            this record's vote
     * @param finalScore      this record's final score
     */
    boolean anomalous(boolean raised, int flaggedVotes, int quietVotes, boolean vote, double finalScore) {
        if (raised) {
            return quietVotes < minimum;
        }
        return flaggedVotes >= minimum || (vote && finalScore >= immediate);
    }
}
