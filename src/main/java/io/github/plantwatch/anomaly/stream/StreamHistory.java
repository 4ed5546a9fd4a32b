package io.github.plantwatch.anomaly.stream;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * A stream's last records, as they came (in the features' units), each with whether it was judged normal and
 * whether anomalous: what retraining learns from and checks a candidate on. A ring of {@code capacity} rows; the arrays are the ones the
 * scorer already built for the records, so a row costs a reference. Operator feedback relabels rows by their
 * {@code timestamp}: declared normal (a false alarm, a new normal) or excluded from every training (confirmed).
 */
final class StreamHistory {

    private final double[][] rows;
    private final boolean[] normal;
    private final boolean[] anomalous;
    private final String[] times;
    private final boolean[] declared;
    private final boolean[] excluded;
    private long count;
    private long anomalousRun;
    private long lastRetraining;
    /** The oldest position still held: above count - capacity after a {@link #rollback} of wrapped rows. */
    private long floor;

    /** Where the history stood: what {@link #rollback} takes it back to. */
    record Mark(long count, long anomalousRun, long lastRetraining) {
    }

    StreamHistory(int capacity) {
        this.rows = new double[capacity][];
        this.normal = new boolean[capacity];
        this.anomalous = new boolean[capacity];
        this.times = new String[capacity];
        this.declared = new boolean[capacity];
        this.excluded = new boolean[capacity];
    }

    void add(double[] observed, boolean judgedNormal, boolean judgedAnomalous, String timestamp) {
        int slot = (int) (count % rows.length);
        rows[slot] = observed;
        normal[slot] = judgedNormal;
        anomalous[slot] = judgedAnomalous;
        times[slot] = timestamp;
        declared[slot] = false;
        excluded[slot] = false;
        anomalousRun = judgedAnomalous ? anomalousRun + 1 : 0;
        count++;
    }

    Mark mark() {
        return new Mark(count, anomalousRun, lastRetraining);
    }

    /**
     * Takes back the records added since {@code mark} (a record whose verdict could not be published must leave no
     * trace). The slots they overwrote held the oldest records, which are gone: those positions are no longer held.
     */
    void rollback(Mark mark) {
        if (mark.count() >= count) {
            return;
        }
        floor = Math.min(Math.max(floor, count - rows.length), mark.count());
        for (long i = mark.count(); i < count; i++) {
            int slot = (int) (i % rows.length);
            rows[slot] = null;
            times[slot] = null;
        }
        count = mark.count();
        anomalousRun = mark.anomalousRun();
        lastRetraining = Math.min(mark.lastRetraining(), count);
    }

    /** The oldest position held. */
    private long oldest() {
        return Math.max(floor, count - rows.length);
    }

    /** How many records in a row, up to the newest, were judged anomalous. */
    long anomalousRun() {
        return anomalousRun;
    }

    /** The share of the newest {@code n} records (fewer when fewer were kept) that were judged anomalous. */
    double anomalousShare(int n) {
        int kept = (int) Math.min(n, count - oldest());
        int flagged = 0;
        for (long i = count - kept; i < count; i++) {
            flagged += anomalous[(int) (i % rows.length)] ? 1 : 0;
        }
        return kept == 0 ? 0 : flagged / (double) kept;
    }

    /** The settle rule's new normal: the newest {@code records} records are taken as normal from now on. */
    void markNormal(int records) {
        for (long i = Math.max(oldest(), count - records); i < count; i++) {
            normal[(int) (i % rows.length)] = true;
        }
    }

    /**
     * Operator feedback on the kept records whose timestamp (an ISO-8601 instant) the range holds: declared normal
     * ({@code normal} true) or excluded from training; a record excluded once stays excluded.
     *
     * @return how many records were relabelled
     */
    int relabel(Predicate<Instant> inRange, boolean normal) {
        int relabelled = 0;
        for (long i = oldest(); i < count; i++) {
            int slot = (int) (i % rows.length);
            if (times[slot] == null || excluded[slot]) {
                continue;
            }
            try {
                if (!inRange.test(Instant.parse(times[slot]))) {
                    continue;
                }
            } catch (DateTimeParseException e) {
                continue;
            }
            if (normal) {
                declared[slot] = true;
            } else {
                excluded[slot] = true;
            }
            relabelled++;
        }
        return relabelled;
    }

    /**
     * A candidate's training rows after feedback: the records declared normal first, then the other records judged
     * normal, none of the excluded ones. The declared ones come first so that the candidate learns them: the newest
     * rows calibrate its scores, and they should be records of the stream's ordinary operation.
     */
    double[][] declaredThenNormal() {
        List<double[]> training = new ArrayList<>();
        int kept = (int) (count - oldest());
        for (int pass = 0; pass < 2; pass++) {
            for (long i = count - kept; i < count; i++) {
                int slot = (int) (i % rows.length);
                boolean first = declared[slot] && !excluded[slot];
                boolean second = !declared[slot] && normal[slot] && !excluded[slot];
                if (pass == 0 ? first : second) {
                    training.add(rows[slot]);
                }
            }
        }
        return training.toArray(double[][]::new);
    }

    /** Records added since the last {@link #retrainingTaken}. */
    long sinceRetraining() {
        return count - lastRetraining;
    }

    /** The newest {@code n} records, oldest first (fewer when fewer were kept). */
    double[][] newest(int n) {
        return newest(n, 0);
    }

    /** The {@code n} records before the newest {@code skip}, oldest first (fewer when fewer were kept). */
    double[][] newest(int n, int skip) {
        long end = count - skip;
        long start = Math.max(oldest(), end - n);
        double[][] newest = new double[(int) Math.max(0, end - start)][];
        for (int i = 0; i < newest.length; i++) {
            newest[i] = rows[(int) ((start + i) % rows.length)];
        }
        return newest;
    }

    /** The records judged normal among those kept, except the newest {@code shadow}: a candidate's training rows. */
    double[][] normalBefore(int shadow) {
        return before(shadow, slot -> (normal[slot] || declared[slot]) && !excluded[slot]);
    }

    /**
     * Every record kept, except the newest {@code shadow}: the training rows of a candidate for a stream that has
     * stayed anomalous so long that its change is taken as a new normal.
     */
    double[][] allBefore(int shadow) {
        return before(shadow, slot -> !excluded[slot]);
    }

    private double[][] before(int shadow, IntPredicate taken) {
        int kept = (int) (count - oldest());
        List<double[]> training = new ArrayList<>(kept);
        for (long i = count - kept; i < count - shadow; i++) {
            int slot = (int) (i % rows.length);
            if (taken.test(slot)) {
                training.add(rows[slot]);
            }
        }
        return training.toArray(double[][]::new);
    }

    /** A retraining job was made from the history now. */
    void retrainingTaken() {
        lastRetraining = count;
    }
}
