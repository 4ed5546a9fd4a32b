package io.github.plantwatch.anomaly.stream;

/**
 * When a stream's ensemble votes make an anomaly (operators' alarm persistence): at least k of the stream's last n
 * votes flagged (this one included), so a stray vote raises nothing and a quiet sample inside a fault clears
 * nothing, unless the last k votes were all quiet, so the end of a fault clears the alarm after k records rather
 * than n; or, at once and whatever the votes, a record whose own combined rarity reaches {@code immediate} (the
 * high level): a far-out record is never delayed or hidden. A far-out record is not counted among the votes of the
 * records after it (they are judged on themselves). With independent votes at rate p, an alarm needs k of n.
 */
final class PersistenceRule {

    private final int minimum;
    private final double immediate;

    PersistenceRule(int minimum, double immediateRarity) {
        this.minimum = minimum;
        this.immediate = immediateRarity;
    }

    /**
     * @param flaggedVotes how many of the last n votes flagged, this one included
     * @param quietVotes   how many votes in a row, up to this one, did not flag
     * @param rarity       this record's combined rarity
     */
    boolean anomalous(int flaggedVotes, int quietVotes, double rarity) {
        return (flaggedVotes >= minimum && quietVotes < minimum) || rarity >= immediate;
    }
}
