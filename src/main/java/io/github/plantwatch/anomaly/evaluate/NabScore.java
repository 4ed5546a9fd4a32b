package io.github.plantwatch.anomaly.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * The NAB changepoint score as SKAB computes it (its {@code chp_score}, metric "nab", windows to the right of each
 * changepoint, "cut right window" on overlaps, the "improved" scaled tanh scoring function): a window
 * [cp, cp + width] follows each true changepoint; predicted changepoints are the 0->1 and 1->0 edges of a
 * binary prediction (the first sample counts as an edge when it is 1). In a window, its first prediction scores
 * between A_tp (at the changepoint) and A_fp (at the window's end); a window without one scores A_fn; a
 * prediction outside every window scores A_fp. Pooled over files, reported as 100 x (score - null) /
 * (perfect - null), where the null detector predicts nothing and the perfect one hits every changepoint at once.
 */
public final class NabScore {

    /** Application profiles: (A_tp, A_fp, A_fn). */
    public enum Profile {
        STANDARD(1, -0.11, -1), LOW_FP(1, -0.22, -1), LOW_FN(1, -0.11, -2);

        final double truePositive;
        final double falsePositive;
        final double falseNegative;

        Profile(double truePositive, double falsePositive, double falseNegative) {
            this.truePositive = truePositive;
            this.falsePositive = falsePositive;
            this.falseNegative = falseNegative;
        }
    }

    private static final int DETAIL = 1000;

    private final long windowSeconds;
    private final double[] score = new double[Profile.values().length];
    private final double[] nullScore = new double[Profile.values().length];
    private final double[] perfectScore = new double[Profile.values().length];

    public NabScore(long windowSeconds) {
        this.windowSeconds = windowSeconds;
    }

    /** Adds one file: its timestamps, true changepoint labels and binary prediction. */
    public void add(long[] seconds, int[] changepoints, boolean[] predicted) {
        List<long[]> windows = windows(seconds, changepoints);
        List<Long> edges = new ArrayList<>();
        for (int i = 0; i < predicted.length; i++) {
            if (i == 0 ? predicted[0] : predicted[i] != predicted[i - 1]) {
                edges.add(seconds[i]);
            }
        }
        int falsePositives = 0;
        int misses = 0;
        List<Double> hits = new ArrayList<>();
        for (long edge : edges) {
            if (outsideAll(edge, windows)) {
                falsePositives++;
            }
        }
        for (long[] window : windows) {
            Long first = null;
            for (long edge : edges) {
                if (edge >= window[0] && edge <= window[1]) {
                    first = edge;
                    break;
                }
            }
            if (first == null) {
                misses++;
            } else {
                hits.add((double) (first - window[0]) / (window[1] - window[0]));
            }
        }
        for (Profile profile : Profile.values()) {
            int p = profile.ordinal();
            score[p] += profile.falsePositive * falsePositives + profile.falseNegative * misses;
            for (double position : hits) {
                score[p] += scaled(position, profile);
            }
            nullScore[p] += windows.size() * profile.falseNegative;
            perfectScore[p] += windows.size() * profile.truePositive;
        }
    }

    /** The pooled score of a profile, in [-inf, 100]: 0 = the null detector, 100 = the perfect one. */
    public double result(Profile profile) {
        int p = profile.ordinal();
        double range = perfectScore[p] - nullScore[p];
        return range == 0 ? 0 : 100 * (score[p] - nullScore[p]) / range;
    }

    /** [cp, cp + width] per changepoint; an overlapping next window starts where the previous one ends. */
    private List<long[]> windows(long[] seconds, int[] changepoints) {
        List<long[]> windows = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++) {
            if (changepoints[i] == 1) {
                windows.add(new long[]{seconds[i], seconds[i] + windowSeconds});
            }
        }
        for (int i = 0; i + 1 < windows.size(); i++) {
            if (windows.get(i)[1] >= windows.get(i + 1)[0]) {
                windows.get(i + 1)[0] = windows.get(i)[1];
            }
        }
        return windows;
    }

    private static boolean outsideAll(long edge, List<long[]> windows) {
        for (long[] window : windows) {
            if (edge >= window[0] && edge <= window[1]) {
                return false;
            }
        }
        return true;
    }

    /** SKAB's scaled tanh: A_tp at the window's start, A_fp at its end, sampled at 1000 points as SKAB does. */
    private static double scaled(double position, Profile profile) {
        int event = Math.min(DETAIL - 1, (int) (position * DETAIL));
        double x = -Math.PI / 2 + event * Math.PI / (DETAIL - 1);
        double half = (profile.truePositive - profile.falsePositive) / 2;
        return half * -Math.tanh(x) / Math.tanh(Math.PI / 2) + half + profile.falsePositive;
    }
}
