package io.github.plantwatch.anomaly.stream;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * A stream's last records, as they came (in the features' units), each with whether it was judged normal and
 * whether anomalous: what retraining learns from and checks a candidate on. A ring of {@code capacity} rows, laid
 * out flat and allocated whole with the stream's first record: its memory does not grow as it fills, and it holds
 * no object per record (the soak showed a heap growing for an hour and a half while 1,000 histories filled at
 * 0.2 records/s, one array and one timestamp string per record). Operator feedback relabels rows by their
 * {@code timestamp}: declared normal (a false alarm, a new normal) or excluded from every training (confirmed).
 */
final class StreamHistory {

    /** A timestamp that is not an ISO-8601 instant: in no feedback's range. */
    private static final long NO_TIME = Long.MIN_VALUE;

    private final int capacity;
    /** Row-major, {@code width} values per slot; empty until the first record gives the width. */
    private double[] values = new double[0];
    private int width;
    private boolean[] normal;
    private boolean[] anomalous;
    /** Epoch milliseconds of each row's timestamp, or {@link #NO_TIME}. */
    private long[] times;
    private boolean[] declared;
    private boolean[] excluded;
    private long count;
    private long anomalousRun;
    private long lastRetraining;
    /** The oldest position still held: above count - capacity after a {@link #rollback} of wrapped rows. */
    private long floor;

    /** Where the history stood: what {@link #rollback} takes it back to. */
    record Mark(long count, long anomalousRun, long lastRetraining) {
    }

    StreamHistory(int capacity) {
        this.capacity = capacity;
    }

    void add(double[] observed, boolean judgedNormal, boolean judgedAnomalous, String timestamp) {
        if (observed.length != width) {
            allocate(observed.length);
        }
        int slot = (int) (count % capacity);
        System.arraycopy(observed, 0, values, slot * width, width);
        normal[slot] = judgedNormal;
        anomalous[slot] = judgedAnomalous;
        times[slot] = epochMillis(timestamp);
        declared[slot] = false;
        excluded[slot] = false;
        anomalousRun = judgedAnomalous ? anomalousRun + 1 : 0;
        count++;
    }

    /**
     * The ring for rows of {@code features} values, empty: at the stream's first record, or when a model set with
     * other features scores it (rows of the old features could not train a set of the new ones).
     */
    private void allocate(int features) {
        width = features;
        values = new double[capacity * features];
        normal = new boolean[capacity];
        anomalous = new boolean[capacity];
        times = new long[capacity];
        declared = new boolean[capacity];
        excluded = new boolean[capacity];
        count = 0;
        floor = 0;
        anomalousRun = 0;
        lastRetraining = 0;
    }

    private static long epochMillis(String timestamp) {
        try {
            return IsoInstant.epochMillis(timestamp);
        } catch (DateTimeException | NullPointerException e) {
            return NO_TIME;
        }
    }

    /** Row {@code slot}, copied out. */
    private double[] row(int slot) {
        return Arrays.copyOfRange(values, slot * width, slot * width + width);
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
        floor = Math.min(Math.max(floor, count - capacity), mark.count());
        count = mark.count();
        anomalousRun = mark.anomalousRun();
        lastRetraining = Math.min(mark.lastRetraining(), count);
    }

    /** The oldest position held. */
    private long oldest() {
        return Math.max(floor, count - capacity);
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
            flagged += anomalous[(int) (i % capacity)] ? 1 : 0;
        }
        return kept == 0 ? 0 : flagged / (double) kept;
    }

    /** The settle rule's new normal: the newest {@code records} records are taken as normal from now on. */
    void markNormal(int records) {
        for (long i = Math.max(oldest(), count - records); i < count; i++) {
            normal[(int) (i % capacity)] = true;
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
            int slot = (int) (i % capacity);
            if (times[slot] == NO_TIME || excluded[slot] || !inRange.test(Instant.ofEpochMilli(times[slot]))) {
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
                int slot = (int) (i % capacity);
                boolean first = declared[slot] && !excluded[slot];
                boolean second = !declared[slot] && normal[slot] && !excluded[slot];
                if (pass == 0 ? first : second) {
                    training.add(row(slot));
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
            newest[i] = row((int) ((start + i) % capacity));
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
            int slot = (int) (i % capacity);
            if (taken.test(slot)) {
                training.add(row(slot));
            }
        }
        return training.toArray(double[][]::new);
    }

    /** A retraining job was made from the history now. */
    void retrainingTaken() {
        lastRetraining = count;
    }
}
