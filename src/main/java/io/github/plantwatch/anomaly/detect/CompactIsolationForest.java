package io.github.plantwatch.anomaly.detect;

import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Smile's trained Isolation Forest laid out in flat arrays for scoring, with exactly Smile's numbers (tested).
 * Smile's rule (6.3.0): at a node, go left when dot(x, slope) &lt; bias; a leaf returns its depth; the score is
 * 2^(-mean path length / c). Trained with extension level 0 (see {@link IsolationForestDetector#fit}), a slope has
 * one non-zero term, so the dot product is one product: {@code x[feature] * weight}.
 * <p>
 * A batch is scored tree by tree, and in each tree all vectors descend one level at a time together: the walks
 * are independent, so the processor overlaps their memory loads instead of waiting on one walk's chain of
 * dependent loads, and the tree's nodes stay in the L1 cache. A leaf's children are itself, so every walk takes
 * the tree's full depth without a branch on where it ended.
 */
final class CompactIsolationForest {

    private final int[] roots;
    /** Per tree: its deepest leaf's depth, the number of levels a walk descends. */
    private final int[] levels;
    /** Children of node i at 2i (left) and 2i + 1 (right); a leaf's are itself. */
    private final int[] children;
    private final int[] feature;
    private final double[] weight;
    private final double[] bias;
    /** The depth of a leaf (what Smile's path length adds). */
    private final double[] depth;
    private final double c;

    CompactIsolationForest(IsolationForest forest) {
        IsolationTree[] trees = forest.trees();
        Builder builder = new Builder();
        roots = new int[trees.length];
        levels = new int[trees.length];
        for (int t = 0; t < trees.length; t++) {
            roots[t] = builder.add(field(trees[t], IsolationTree.class, "root"), 0);
            levels[t] = builder.deepest;
            builder.deepest = 0;
        }
        children = builder.children.stream().mapToInt(Integer::intValue).toArray();
        feature = builder.feature.stream().mapToInt(Integer::intValue).toArray();
        weight = builder.weight.stream().mapToDouble(Double::doubleValue).toArray();
        bias = builder.bias.stream().mapToDouble(Double::doubleValue).toArray();
        depth = builder.depth.stream().mapToDouble(Double::doubleValue).toArray();
        c = (double) field(forest, IsolationForest.class, "c");
    }

    /** The forest as {@link #write} wrote it, checked so that no walk can leave the arrays. */
    CompactIsolationForest(ParameterSource in, int width) {
        roots = in.integers("roots");
        levels = in.integers("levels");
        children = in.integers("children");
        feature = in.integers("feature");
        weight = in.numbers("weight");
        bias = in.numbers("bias");
        depth = in.numbers("depth");
        c = in.number("c");
        int nodes = depth.length;
        String section = IsolationForestDetector.NAME;
        ModelFormatException.require(roots.length > 0 && roots.length == levels.length, section,
                "needs as many levels as trees, at least one tree");
        ModelFormatException.require(children.length == 2 * nodes && feature.length == nodes && weight.length == nodes
                && bias.length == nodes, section, "node arrays of different lengths");
        ModelFormatException.require(c > 0 && Double.isFinite(c), section, "normalising constant c must be positive");
        for (int t = 0; t < roots.length; t++) {
            ModelFormatException.require(roots[t] >= 0 && roots[t] < nodes && levels[t] >= 0 && levels[t] <= 64,
                    section, "tree " + t + " has no valid root or depth");
        }
        for (int i = 0; i < nodes; i++) {
            ModelFormatException.require(feature[i] >= 0 && feature[i] < width, section,
                    "node " + i + " splits on feature " + feature[i] + " of " + width);
            ModelFormatException.require(children[2 * i] >= 0 && children[2 * i] < nodes
                    && children[2 * i + 1] >= 0 && children[2 * i + 1] < nodes, section, "node " + i
                    + " has a child outside the forest");
        }
    }

    void write(ParameterSink out) {
        out.integers("roots", roots);
        out.integers("levels", levels);
        out.integers("children", children);
        out.integers("feature", feature);
        out.numbers("weight", weight);
        out.numbers("bias", bias);
        out.numbers("depth", depth);
        out.number("c", c);
    }

    double[] scores(double[][] vectors) {
        int n = vectors.length;
        double[] sums = new double[n];
        int[] at = new int[n];
        for (int t = 0; t < roots.length; t++) {
            Arrays.fill(at, roots[t]);
            for (int level = 0; level < levels[t]; level++) {
                for (int i = 0; i < n; i++) {
                    int node = at[i];
                    boolean right = !(vectors[i][feature[node]] * weight[node] < bias[node]);
                    at[i] = children[2 * node + (right ? 1 : 0)];
                }
            }
            for (int i = 0; i < n; i++) {
                sums[i] += depth[at[i]];
            }
        }
        for (int i = 0; i < n; i++) {
            sums[i] = Math.pow(2.0, -(sums[i] / roots.length) / c);
        }
        return sums;
    }

    private static Object field(Object owner, Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Smile's IsolationForest layout changed (field " + name + ")", e);
        }
    }

    private static final class Builder {
        final List<Integer> children = new ArrayList<>();
        final List<Integer> feature = new ArrayList<>();
        final List<Double> weight = new ArrayList<>();
        final List<Double> bias = new ArrayList<>();
        final List<Double> depth = new ArrayList<>();
        int deepest;

        /** Adds a node at {@code level} and its subtree, returns the node's index. */
        int add(Object node, int level) {
            Class<?> type = node.getClass();
            Object leftChild = field(node, type, "left");
            Object rightChild = field(node, type, "right");
            int index = depth.size();
            children.add(index);
            children.add(index);
            feature.add(0);
            weight.add(0.0);
            bias.add(0.0);
            depth.add(0.0);
            if (leftChild == null || rightChild == null) {
                depth.set(index, (double) field(node, type, "depth"));
                deepest = Math.max(deepest, level);
                return index;
            }
            bias.set(index, (double) field(node, type, "bias"));
            double[] slope = (double[]) field(node, type, "slope");
            for (int k = 0; k < slope.length; k++) {
                if (slope[k] != 0.0) { // zero terms add nothing to the dot product
                    if (weight.get(index) != 0.0) {
                        throw new IllegalStateException("a split on several features: the forest must be trained "
                                + "with extension level 0");
                    }
                    feature.set(index, k);
                    weight.set(index, slope[k]);
                }
            }
            children.set(2 * index, add(leftChild, level + 1));
            children.set(2 * index + 1, add(rightChild, level + 1));
            return index;
        }
    }
}
