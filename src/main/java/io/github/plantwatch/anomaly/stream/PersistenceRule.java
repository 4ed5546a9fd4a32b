package io.github.plantwatch.anomaly.stream;

/**
 * When a stream's ensemble votes make an anomaly (operators' alarm persistence): at least k of the stream's last n
 * votes flagged (this one included), so a stray vote raises nothing and a quiet sample inside a fault clears
 * nothing, unless the last k votes were all quiet, so the end of a fault clears the alarm after k records rather
 * than n; or, at once, a flagged vote whose final score reaches {@code immediate}, so a clear fault's first sample
 * is never held back. It needs no state beyond the votes: with independent votes at rate p, an alarm needs k of n.
 */
final class PersistenceRule {

    private final int minimum;
    private final double immediate;

    PersistenceRule(int minimum, double immediate) {
        this.minimum = minimum;
        this.immediate = immediate;
    }

    /**
     * @param flaggedVotes    how many of the last n votes flagged, this one included
     * @param quietVotes      how many votes in a row, up to this one, did not flag
     * @param vote            this record's vote
     * @param finalScore      this record's final score
     */
    boolean anomalous(int flaggedVotes, int quietVotes, boolean vote, double finalScore) {
        return (flaggedVotes >= minimum && quietVotes < minimum) || (vote && finalScore >= immediate);
    }
}
