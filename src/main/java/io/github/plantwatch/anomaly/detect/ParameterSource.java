package io.github.plantwatch.anomaly.detect;

/**
 * Reads back, in the order they were written, the numbers a {@link ParameterSink} took. Each read names the field it
 * expects; a field of another name or type, or a file that ends early, is refused with a
 * {@link ModelFormatException} naming it.
 */
public interface ParameterSource {

    int integer(String name);

    double number(String name);

    int[] integers(String name);

    double[] numbers(String name);

    float[] floats(String name);
}
