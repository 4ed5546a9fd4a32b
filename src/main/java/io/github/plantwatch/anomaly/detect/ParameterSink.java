package io.github.plantwatch.anomaly.detect;

/**
 * Where a detector writes the numbers that define it, by name and in a fixed order: the detector's section of the
 * portable model format ({@code docs/model-format.md}). Nothing of a library's classes goes through it.
 */
public interface ParameterSink {

    void integer(String name, int value);

    void number(String name, double value);

    void integers(String name, int[] values);

    void numbers(String name, double[] values);

    void floats(String name, float[] values);
}
