package io.github.plantwatch.anomaly.detect;

/** A stored model set that this version cannot or must not load, with the reason in words an operator can act on. */
public final class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    /** Refuses a value that no trained model can hold (a forged or corrupted section). */
    static void require(boolean condition, String section, String problem) {
        if (!condition) {
            throw new ModelFormatException(section + ": " + problem);
        }
    }
}
