package io.github.plantwatch.anomaly.detect;

import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Smile's trained Isolation Forest laid out in flat arrays for scoring. Smile walks linked nodes and takes a
 * full dot product with each node's slope; here each node's non-zero slope terms sit next to each other and a
 * tree is walked by index, which makes scoring several times faster with exactly Smile's numbers (tested).
 * <p>
 * Smile's rule (6.3.0): at a node, go left when dot(x, slope) &lt; bias; a leaf returns its depth; the score is
 * 2^(-mean path length / c).
 */
final class CompactIsolationForest {

    private final int[] roots;
    private final int[] left;
    private final int[] right;
    /** The bias of an inner node, the depth of a leaf. */
    private final double[] value;
    private final int[] termStart;
    private final int[] termIndex;
    private final double[] termWeight;
    private final double c;

    CompactIsolationForest(IsolationForest forest) {
        IsolationTree[] trees = forest.trees();
        Builder builder = new Builder();
        roots = new int[trees.length];
        for (int t = 0; t < trees.length; t++) {
            roots[t] = builder.add(field(trees[t], IsolationTree.class, "root"));
        }
        left = builder.left.stream().mapToInt(Integer::intValue).toArray();
        right = builder.right.stream().mapToInt(Integer::intValue).toArray();
        value = builder.value.stream().mapToDouble(Double::doubleValue).toArray();
        builder.termStart.add(builder.termIndex.size());
        termStart = builder.termStart.stream().mapToInt(Integer::intValue).toArray();
        termIndex = builder.termIndex.stream().mapToInt(Integer::intValue).toArray();
        termWeight = builder.termWeight.stream().mapToDouble(Double::doubleValue).toArray();
        c = (double) field(forest, IsolationForest.class, "c");
    }

    double score(double[] x) {
        double sum = 0;
        for (int root : roots) {
            int node = root;
            while (left[node] >= 0) {
                double dot = 0;
                for (int k = termStart[node], end = termStart[node + 1]; k < end; k++) {
                    dot += x[termIndex[k]] * termWeight[k];
                }
                node = dot < value[node] ? left[node] : right[node];
            }
            sum += value[node];
        }
        return Math.pow(2.0, -(sum / roots.length) / c);
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
        final List<Integer> left = new ArrayList<>();
        final List<Integer> right = new ArrayList<>();
        final List<Double> value = new ArrayList<>();
        final List<Integer> termStart = new ArrayList<>();
        final List<Integer> termIndex = new ArrayList<>();
        final List<Double> termWeight = new ArrayList<>();

        /** Adds a node and its subtree, returns the node's index. */
        int add(Object node) {
            Class<?> type = node.getClass();
            Object leftChild = field(node, type, "left");
            Object rightChild = field(node, type, "right");
            int index = value.size();
            left.add(-1);
            right.add(-1);
            termStart.add(termIndex.size());
            if (leftChild == null || rightChild == null) {
                value.add((double) field(node, type, "depth"));
                return index;
            }
            value.add((double) field(node, type, "bias"));
            double[] slope = (double[]) field(node, type, "slope");
            for (int k = 0; k < slope.length; k++) {
                if (slope[k] != 0.0) { // zero terms add nothing to the dot product
                    termIndex.add(k);
                    termWeight.add(slope[k]);
                }
            }
            left.set(index, add(leftChild));
            right.set(index, add(rightChild));
            return index;
        }
    }
}
