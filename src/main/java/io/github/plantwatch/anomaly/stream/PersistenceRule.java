package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.Criticality;

/**
 * When a stream's ensemble votes make an anomaly (operators' alarm persistence): at least k of the stream's last n
 * votes flagged (this one included), so one stray vote does not raise an alarm and one quiet sample inside a fault
 * does not clear it; or, at once, a flagged vote whose criticality reaches {@code immediate}, so a clear fault's
 * first sample is never held back.
 */
final class PersistenceRule {

    private final int minimum;
    private final Criticality immediate;

    PersistenceRule(int minimum, Criticality immediate) {
        this.minimum = minimum;
        this.immediate = immediate;
    }

    /**
     * @param flaggedVotes  how many of the last n votes flagged, this one included
     * @param vote          this record's vote
     * @param voteCriticality the criticality this record's vote alone would have
     */
    boolean anomalous(int flaggedVotes, boolean vote, Criticality voteCriticality) {
        return flaggedVotes >= minimum || (vote && voteCriticality.compareTo(immediate) >= 0);
    }
}
