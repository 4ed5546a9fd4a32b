package io.github.plantwatch.anomaly.stream;

/**
 * When a stream's ensemble votes make an anomaly (operators' alarm persistence): at least k of the stream's last n
 * votes flagged (this one included), so a stray vote raises nothing and a quiet sample inside a fault clears
 * nothing, unless the last k votes were all quiet, so the end of a fault clears the alarm after k records rather
 * than n; or, at once and whatever the votes, a record whose own combined rarity reaches {@code immediate} (the
 * critical level): a far-out record is never delayed or hidden. A far-out record casts one flagged vote, one of the
 * k the records after it would need: a spike alone raises nothing after it, and the records of a fault that is
 * far out only at times keep each other's evidence. With independent votes at rate p, an alarm needs k of n.
 * The immediate level is the critical one, not the high one: healthy records reach p = 10^-4 once in 10,000 per
 * detector (a plant of 500 streams at 1 Hz, every few seconds), which a single record must not raise alone; one
 * that recurs is raised by the votes, graded high (docs/accuracy.md, "Counting a window once").
 * <p>
 * A sequence detector's votes are not independent: its score is its window's, so one unusual record raises it for
 * the next {@code window} records, and its votes come in runs of about the window's length, one of which alone would
 * make k of n. Outside an alarm, a vote that rests on the window alone (no point detector votes on the record by
 * itself) counts at most once per window, as one piece of evidence; inside an alarm every vote counts, so a fault's
 * alarm does not flicker. (RCF's thresholded forest does the same with its shingle: a record within a shingle of
 * the last anomaly is reported only if it brings something new; docs/accuracy.md, "Counting a window once".)
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
        return inAlarm(flaggedVotes, quietVotes) || farOut(rarity);
    }

    /**
     * Casts a record's vote among its stream's votes as this rule counts it; returns how many of the last n votes
     * (this one included) flagged.
     *
     * @param windowOnly whether the vote rests on a sequence detector's window alone
     * @param window     the longest window of the sequence detectors that scored the record
     */
    int cast(StreamState state, boolean vote, boolean windowOnly, int window) {
        boolean counted = vote && (!windowOnly || inAlarm(state.flaggedVotes(), state.quietVotes())
                || state.countWindowVote(window));
        return state.vote(counted);
    }

    /** Whether a record is far out: anomalous on its own, whatever the votes. */
    boolean farOut(double rarity) {
        return rarity >= immediate;
    }

    /** Whether the votes hold an alarm: at least k flagged, and not the last k quiet. */
    boolean inAlarm(int flaggedVotes, int quietVotes) {
        return flaggedVotes >= minimum && quietVotes < minimum;
    }
}
